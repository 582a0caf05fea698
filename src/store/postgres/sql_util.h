// The shared helpers (store/sql/sql_util.h) under this engine's namespace, for the aggregates
// not yet moved into SqlUnitOfWork.
#pragma once

#include "database.h"
#include "store/sql/sql_util.h"

namespace bf::postgres {

using sql::ConstraintError;
using sql::ContainsPattern;
using sql::OptDate;
using sql::OptMillis;
using sql::RevisionMoved;
using sql::TouchedOne;

}  // namespace bf::postgres
