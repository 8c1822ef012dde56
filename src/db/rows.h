// The rows a statement returned (an owned PGresult). Values are read as text or converted;
// a conversion that fails means the code and the schema disagree, which is a bug, so it
// throws std::logic_error rather than returning an error.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

extern "C" {
struct pg_result;
}

namespace codezero::db {

class Rows {
 public:
  Rows() = default;
  explicit Rows(pg_result* result);  // takes ownership

  [[nodiscard]] int size() const;
  [[nodiscard]] bool empty() const { return size() == 0; }
  [[nodiscard]] int columns() const;
  // The number of rows an INSERT/UPDATE/DELETE touched.
  [[nodiscard]] std::int64_t affected() const;
  // The command tag, e.g. "COMMIT" or "ROLLBACK".
  [[nodiscard]] std::string_view command() const;

  // REQUIRES: 0 <= row < size(), 0 <= column < columns().
  [[nodiscard]] bool IsNull(int row, int column) const;
  [[nodiscard]] std::string_view Text(int row, int column) const;
  [[nodiscard]] std::optional<std::string> OptionalText(int row, int column) const;
  [[nodiscard]] std::int64_t Int64(int row, int column) const;
  [[nodiscard]] std::optional<std::int64_t> OptionalInt64(int row, int column) const;
  [[nodiscard]] bool Bool(int row, int column) const;
  // The index of the column called `name`; throws std::logic_error when there is none.
  [[nodiscard]] int Column(std::string_view name) const;

 private:
  struct Deleter {
    void operator()(pg_result* result) const;
  };
  std::unique_ptr<pg_result, Deleter> result_;
};

}  // namespace codezero::db
