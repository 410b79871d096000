library(testthat)
library(darknumber)
test_check("darknumber")
