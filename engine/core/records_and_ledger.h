// The engine computes on records (records/: values, their codec, generators, expressions) and
// tells the run's ledger (ledger/) what its sources produced and what it did with them. These
// using-declarations name those types in the engine's namespace, so that engine code reads as
// Spark's does ("Values", "Expression") while the types stay owned by the modules below it; the
// checker, which must not see the engine, names them by their own namespaces.
#pragma once

#include "ledger/file_ledger.h"
#include "ledger/ledger.h"
#include "ledger/source_ledger.h"
#include "records/expression.h"
#include "records/generators.h"
#include "records/value.h"
#include "records/value_codec.h"

namespace streamsim::engine {

using records::Bindings;
using records::DecodeValue;
using records::DecodeValueLines;
using records::EncodeValue;
using records::EncodeValueLines;
using records::EvalError;
using records::Expression;
using records::ExpressionError;
using records::GeneratorConfig;
using records::KindName;
using records::MakeGenerator;
using records::RecordGenerator;
using records::Value;
using records::Values;

using ledger::AcknowledgedUpTo;
using ledger::BatchAllocation;
using ledger::BatchOutcome;
using ledger::FileLedger;
using ledger::Ledger;
using ledger::OutputEmission;
using ledger::RecordEntry;
using ledger::RecordId;
using ledger::RecordIds;
using ledger::SourceLedger;
using ledger::SplitLines;

}  // namespace streamsim::engine
