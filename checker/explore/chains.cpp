// SPDX-License-Identifier: MIT
#include "checker/explore/chains.hpp"

namespace iomc::explore {

ChainFollower::ChainFollower(const Plan& plan)
    : plan_(plan),
      bytes_(plan.ts.layout().bytes()),
      waits_(plan.check_deadlock && plan.ts.has_lock_waits()),
      interp_(plan.ts),
      sets_(plan.ts, *plan.por_tables, interp_, plan.por_checks, plan.por_wait_check, plan.options.proviso),
      a_(plan.ts.state_buffer_size()),
      b_(plan.ts.state_buffer_size()) {
    sets_.record_every_step(plan.options.por_check);
}

}  // namespace iomc::explore
