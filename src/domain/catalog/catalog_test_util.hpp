#pragma once
// Test and benchmark helper (header-only, never compiled into motcua_domain): loads
// data/procedures.json into catalog::Procedure values with nlohmann-json.

#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/date.hpp"
#include "domain/catalog/procedure.hpp"

namespace motcua::catalog::testing {

inline std::string SourcePath(const std::string& relative) {
#ifdef MOTCUA_SOURCE_DIR
  return std::string(MOTCUA_SOURCE_DIR) + "/" + relative;
#else
  return relative;
#endif
}

inline nlohmann::json ReadJsonFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path);
  return nlohmann::json::parse(in);
}

inline Procedure ProcedureFromJson(const nlohmann::json& j) {
  Procedure p;
  p.name_vi = j.at("name_vi").get<std::string>();
  if (j.at("code").is_null()) {
    p.code = LocalCodeFor(p.name_vi);
    p.has_national_code = false;
  } else {
    p.code = j.at("code").get<std::string>();
  }
  p.name_en = j.at("name_en").get<std::string>();
  p.field = j.at("field").get<std::string>();
  p.level = ParseLevel(j.at("level").get<std::string>()).value();
  p.online = ParseOnlineLevel(j.at("online").get<std::string>()).value();
  p.documents = j.at("documents").get<std::vector<std::string>>();
  p.keywords = j.at("keywords").get<std::vector<std::string>>();
  p.agency = j.at("agency").get<std::string>();
  p.source = j.value("source", "");
  p.notes = j.value("notes", "");
  ProcedureRules rules;
  rules.effective_from = *Date::FromYmd(2025, 7, 1);
  if (!j.at("processing_days").is_null()) rules.processing_days = j["processing_days"].get<int>();
  if (!j.at("fee_vnd").is_null()) rules.fee_vnd = j["fee_vnd"].get<int64_t>();
  p.rules.push_back(rules);
  return p;
}

inline std::vector<Procedure> LoadCatalog(const std::string& path) {
  std::vector<Procedure> out;
  for (const auto& j : ReadJsonFile(path)) out.push_back(ProcedureFromJson(j));
  return out;
}

inline std::vector<Procedure> LoadRealCatalog() {
  return LoadCatalog(SourcePath("data/procedures.json"));
}

}  // namespace motcua::catalog::testing
