// The same consumer, compiled as C++17 (a C++ gateway including jwtmint.h).
#include "app.c"
