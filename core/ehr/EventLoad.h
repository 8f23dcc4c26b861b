#pragma once
/// @file EventLoad.h
/// What reading a patient record gives: its events and the report of what was skipped.

#include "ehr/Event.h"
#include "ehr/LoadReport.h"

namespace attn {

struct EventLoad {
    EventTable table;  ///< Sorted by sortEvents().
    LoadReport report;
};

} // namespace attn
