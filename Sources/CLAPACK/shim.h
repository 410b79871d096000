#ifndef CLAPACK_SHIM_H
#define CLAPACK_SHIM_H
// OpenBLAS's CBLAS (found through `pkg-config --cflags openblas`) and netlib LAPACKE
// (liblapacke-dev). Complex types as plain structs so every prototype imports into Swift.
#define LAPACK_COMPLEX_STRUCTURE 1
#include <cblas.h>
#include <lapacke.h>

// `lapack_int` is a macro, which Swift cannot see; give it a real name.
typedef lapack_int clapack_int;
_Static_assert(sizeof(clapack_int) == 4, "expected LP64 (32-bit integer) LAPACK");
#endif
