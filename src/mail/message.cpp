#include "mail/message.h"

#include <openssl/evp.h>

#include <ctime>

#include "common/random.h"

namespace codezero::mail {
namespace {

constexpr std::size_t kMaxEncodedWordText = 45;  // 45 bytes -> 60 base64 chars + 12 = 72

constexpr std::size_t kMaxPlainHeaderText = 60;  // longer text is encoded, hence folded

bool NeedsEncoding(std::string_view text) {
  if (text.size() > kMaxPlainHeaderText) return true;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte > 0x7e) return true;
  }
  return text.find("=?") != std::string_view::npos;
}

std::string Base64(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3), '\0');
  const int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                      reinterpret_cast<const unsigned char*>(bytes.data()),
                                      static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(written));
  return out;
}

// The length of the longest prefix of `text` of at most `max` bytes that ends on a UTF-8
// character boundary (an encoded word must not split a character, RFC 2047 §5).
std::size_t CharacterBoundary(std::string_view text, std::size_t max) {
  if (text.size() <= max) return text.size();
  std::size_t end = max;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return end == 0 ? max : end;
}

void AppendHeader(std::string& out, std::string_view name, std::string_view value) {
  out.append(name).append(": ").append(value).append("\r\n");
}

std::string Normalized(std::string_view text) {
  // Bodies end up with CRLF line ends whatever the template had.
  std::string out;
  out.reserve(text.size() + text.size() / 40);
  for (const char c : text) {
    if (c == '\r') continue;
    if (c == '\n') {
      out += "\r\n";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

std::string EncodeHeaderText(std::string_view utf8) {
  if (!NeedsEncoding(utf8)) return std::string(utf8);
  std::string out;
  while (!utf8.empty()) {
    const std::size_t take = CharacterBoundary(utf8, kMaxEncodedWordText);
    if (!out.empty()) out += "\r\n ";  // folded: each word on its own line
    out += "=?UTF-8?B?" + Base64(utf8.substr(0, take)) + "?=";
    utf8.remove_prefix(take);
  }
  return out;
}

std::string QuotedPrintable(std::string_view utf8) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  const std::string text = Normalized(utf8);
  std::string out;
  out.reserve(text.size() * 11 / 10);
  std::size_t line = 0;
  const auto soft_break = [&] {
    out += "=\r\n";
    line = 0;
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      // Trailing white space before a line break must be encoded (RFC 2045 §6.7 rule 3).
      if (!out.empty() && (out.back() == ' ' || out.back() == '\t')) {
        const char last = out.back();
        out.pop_back();
        out += '=';
        out += kHex[static_cast<unsigned char>(last) >> 4];
        out += kHex[static_cast<unsigned char>(last) & 0x0f];
      }
      out += "\r\n";
      line = 0;
      ++i;
      continue;
    }
    const bool literal = (byte >= 33 && byte <= 126 && byte != '=') || byte == ' ' || byte == '\t';
    const std::size_t width = literal ? 1 : 3;
    if (line + width > 75) soft_break();
    if (literal) {
      out += static_cast<char>(byte);
    } else {
      out += '=';
      out += kHex[byte >> 4];
      out += kHex[byte & 0x0f];
    }
    line += width;
  }
  return out;
}

std::string MailDate(std::chrono::system_clock::time_point time) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(time);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%s, %02d %s %04d %02d:%02d:%02d +0000", kDays[tm.tm_wday],
                tm.tm_mday, kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                tm.tm_sec);
  return buffer;
}

std::string NewMessageId(std::string_view domain) {
  return "<" + NewRequestId() + "@" + std::string(domain) + ">";
}

std::string FormatMessage(const MailMessage& message, std::string_view boundary) {
  std::string out;
  out.reserve(1024 + message.text.size() * 2 + message.html.size() * 2);
  const std::string from = message.from_name.empty() ? message.from_address
                                                     : EncodeHeaderText(message.from_name) + " <" +
                                                           message.from_address + ">";
  AppendHeader(out, "From", from);
  AppendHeader(out, "To", message.to);
  AppendHeader(out, "Subject", EncodeHeaderText(message.subject));
  AppendHeader(out, "Date", MailDate(message.date));
  AppendHeader(out, "Message-ID", message.message_id);
  AppendHeader(out, "MIME-Version", "1.0");
  AppendHeader(out, "Auto-Submitted", "auto-generated");  // RFC 3834: no auto-replies, please
  AppendHeader(out, "Content-Type",
               "multipart/alternative; boundary=\"" + std::string(boundary) + "\"");
  out += "\r\n";
  const auto part = [&](std::string_view type, std::string_view body) {
    out.append("--").append(boundary).append("\r\n");
    AppendHeader(out, "Content-Type", std::string(type) + "; charset=utf-8");
    AppendHeader(out, "Content-Transfer-Encoding", "quoted-printable");
    out += "\r\n";
    out += QuotedPrintable(body);
    out += "\r\n";
  };
  part("text/plain", message.text);
  part("text/html", message.html);
  out.append("--").append(boundary).append("--\r\n");
  return out;
}

}  // namespace codezero::mail
