/* omp -- OpenMP directives that vanish without -fopenmp (no unknown-pragma warnings).  */
#ifndef AUTONUM_OMP_H
#define AUTONUM_OMP_H

#ifdef _OPENMP
#include <omp.h>
#define OMP(directive) _Pragma (#directive)
#else
#define OMP(directive)
#endif

#endif
