#pragma once
// FUZZ_CHECK: an invariant of the code under test. A plain assert() would vanish under NDEBUG;
// this always aborts, so libFuzzer saves the input and the run fails.

#include <cstdio>
#include <cstdlib>

#define FUZZ_CHECK(cond)                                                                \
  do {                                                                                  \
    if (!(cond)) {                                                                      \
      std::fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                     \
    }                                                                                   \
  } while (false)
