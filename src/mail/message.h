// An e-mail as it goes over SMTP or into an .eml file: an RFC 5322 message with a text and an
// HTML alternative (RFC 2046 multipart/alternative), UTF-8 throughout: bodies in
// quoted-printable (RFC 2045), non-ASCII header text as encoded words (RFC 2047), CRLF line
// ends, no line over 78 characters.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace codezero::mail {

struct MailMessage {
  std::string from_name;  // "Code Zero AI"
  std::string from_address;
  std::string to;
  std::string subject;
  std::string text;
  std::string html;
  std::string message_id;  // "<…@domain>", the same for every attempt of one e-mail
  std::chrono::system_clock::time_point date;
};

// REQUIRES: the addresses are plain addr-specs (no CR, LF, '<' or '>').
[[nodiscard]] std::string FormatMessage(const MailMessage& message, std::string_view boundary);

// "=?UTF-8?B?…?=" words for text that is not printable ASCII, else the text itself.
[[nodiscard]] std::string EncodeHeaderText(std::string_view utf8);
[[nodiscard]] std::string QuotedPrintable(std::string_view utf8);
// "Thu, 26 Nov 2026 06:00:00 +0000"
[[nodiscard]] std::string MailDate(std::chrono::system_clock::time_point time);
// "<32 hex digits@domain>"
[[nodiscard]] std::string NewMessageId(std::string_view domain);

}  // namespace codezero::mail
