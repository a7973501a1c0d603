// Cost-model overrides by name and derived costs.
#include "engine/core/cost_model.h"

namespace streamsim::engine {

std::map<std::string, sim::Duration CostModel::*> CostModel::DurationFields() {
  return {
      {"job_generation", &CostModel::job_generation},
      {"job_scheduling", &CostModel::job_scheduling},
      {"task_launch", &CostModel::task_launch},
      {"record_map", &CostModel::record_map},
      {"record_aggregate", &CostModel::record_aggregate},
      {"record_output", &CostModel::record_output},
      {"serialize_per_kilobyte", &CostModel::serialize_per_kilobyte},
      {"storage_write", &CostModel::storage_write},
      {"storage_per_kilobyte", &CostModel::storage_per_kilobyte},
  };
}

Status CostModel::SetDuration(const std::string& name, sim::Duration value) {
  const auto fields = DurationFields();
  auto it = fields.find(name);
  if (it == fields.end()) {
    std::string known;
    for (const auto& [field, member] : fields) known += (known.empty() ? "" : ", ") + field;
    return Status::Error("unknown cost '" + name + "'; known costs: " + known +
                         ", serializer_factor");
  }
  this->*(it->second) = value;
  return Status::Ok();
}

Status CostModel::SetFactor(const std::string& name, double value) {
  if (name != "serializer_factor") {
    return Status::Error("unknown cost factor '" + name + "'; known factors: serializer_factor");
  }
  if (value <= 0) return Status::Error("serializer_factor must be > 0");
  serializer_factor = value;
  return Status::Ok();
}

sim::Duration CostModel::Serialization(int64_t bytes) const {
  const double us = static_cast<double>(serialize_per_kilobyte.us) * serializer_factor *
                    static_cast<double>(bytes) / 1024.0;
  return sim::Duration::Micros(static_cast<int64_t>(us));
}

}  // namespace streamsim::engine
