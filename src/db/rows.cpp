#include "db/rows.h"

#include <libpq-fe.h>

#include <charconv>
#include <cstdlib>
#include <stdexcept>

namespace codezero::db {

void Rows::Deleter::operator()(pg_result* result) const { PQclear(result); }

Rows::Rows(pg_result* result) : result_(result) {}

int Rows::size() const { return result_ ? PQntuples(result_.get()) : 0; }

int Rows::columns() const { return result_ ? PQnfields(result_.get()) : 0; }

std::int64_t Rows::affected() const {
  if (!result_) return 0;
  const char* tuples = PQcmdTuples(result_.get());
  return tuples[0] == '\0' ? 0 : std::strtoll(tuples, nullptr, 10);
}

std::string_view Rows::command() const {
  return result_ ? std::string_view(PQcmdStatus(result_.get())) : std::string_view();
}

bool Rows::IsNull(int row, int column) const {
  return PQgetisnull(result_.get(), row, column) == 1;
}

std::string_view Rows::Text(int row, int column) const {
  return {PQgetvalue(result_.get(), row, column),
          static_cast<std::size_t>(PQgetlength(result_.get(), row, column))};
}

std::optional<std::string> Rows::OptionalText(int row, int column) const {
  if (IsNull(row, column)) return std::nullopt;
  return std::string(Text(row, column));
}

std::int64_t Rows::Int64(int row, int column) const {
  const std::string_view text = Text(row, column);
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || IsNull(row, column)) {
    throw std::logic_error("column " + std::to_string(column) + " is not an integer: '" +
                           std::string(text) + "'");
  }
  return value;
}

std::optional<std::int64_t> Rows::OptionalInt64(int row, int column) const {
  if (IsNull(row, column)) return std::nullopt;
  return Int64(row, column);
}

bool Rows::Bool(int row, int column) const {
  const std::string_view text = Text(row, column);
  if (text == "t") return true;
  if (text == "f") return false;
  throw std::logic_error("column " + std::to_string(column) + " is not a boolean");
}

int Rows::Column(std::string_view name) const {
  const int index = PQfnumber(result_.get(), std::string(name).c_str());
  if (index < 0) throw std::logic_error("no column named " + std::string(name));
  return index;
}

}  // namespace codezero::db
