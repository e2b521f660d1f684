#pragma once
// Every HTTP route of the program, registered explicitly in one place.

#include "http/router.hpp"

namespace motcua::app {

struct Services;

http::Router BuildRouter(Services& services);

}  // namespace motcua::app
