// The single translation unit that compiles Boost.Asio and Boost.Beast (separate compilation:
// every other file of this library includes their headers without the implementation).
#include <utility>  // before Asio: a known missing include in 1.81

#include <boost/asio/impl/src.hpp>
#include <boost/beast/src.hpp>
