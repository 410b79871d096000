#ifndef CGLPK_SHIM_H
#define CGLPK_SHIM_H
// GNU Linear Programming Kit (Debian's libglpk-dev), used only by DarkNumberLinearAlgebra.
#include <glpk.h>
#endif
