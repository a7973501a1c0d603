// The thread's run context (base/run_context.h).
#include "base/run_context.h"

#include <utility>

namespace streamsim::base {
namespace {

thread_local const RunContext* current_run_context = nullptr;

}  // namespace

const RunContext* CurrentRunContext() { return current_run_context; }

ScopedRunContext::ScopedRunContext(RunContext context)
    : context_(std::move(context)), previous_(current_run_context) {
  current_run_context = &context_;
}

ScopedRunContext::~ScopedRunContext() { current_run_context = previous_; }

}  // namespace streamsim::base
