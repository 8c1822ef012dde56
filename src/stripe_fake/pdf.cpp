#include "stripe_fake/pdf.h"

#include <cstdio>

namespace codezero::stripe_fake {
namespace {

constexpr double kPageWidth = 595.28;
constexpr double kPageHeight = 841.89;
constexpr double kMargin = 56;

std::string Number(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.2f", value);
  return buffer;
}

std::string PdfString(std::string_view winansi) {
  std::string out = "(";
  for (char c : winansi) {
    if (c == '(' || c == ')' || c == '\\') out.push_back('\\');
    if (c == '\n' || c == '\r') continue;
    out.push_back(c);
  }
  out.push_back(')');
  return out;
}

}  // namespace

std::string ToWinAnsi(std::string_view utf8) {
  std::string out;
  for (std::size_t i = 0; i < utf8.size();) {
    const auto byte = static_cast<unsigned char>(utf8[i]);
    unsigned code = 0;
    std::size_t length = 1;
    if (byte < 0x80) {
      code = byte;
    } else if ((byte & 0xE0) == 0xC0 && i + 1 < utf8.size()) {
      code = ((byte & 0x1Fu) << 6) | (static_cast<unsigned char>(utf8[i + 1]) & 0x3Fu);
      length = 2;
    } else if ((byte & 0xF0) == 0xE0 && i + 2 < utf8.size()) {
      code = ((byte & 0x0Fu) << 12) | ((static_cast<unsigned char>(utf8[i + 1]) & 0x3Fu) << 6) |
             (static_cast<unsigned char>(utf8[i + 2]) & 0x3Fu);
      length = 3;
    } else {
      code = '?';
      length = (byte & 0xF8) == 0xF0 ? 4 : 1;
    }
    i += length;
    if (code < 0x80 || (code >= 0xA0 && code <= 0xFF)) {
      out.push_back(static_cast<char>(code));
    } else if (code == 0x20AC) {
      out.push_back(static_cast<char>(0x80));  // €
    } else if (code == 0x2013) {
      out.push_back(static_cast<char>(0x96));  // –
    } else if (code == 0x2014) {
      out.push_back(static_cast<char>(0x97));  // —
    } else if (code == 0x2022) {
      out.push_back(static_cast<char>(0x95));  // •
    } else {
      out.push_back('?');  // arrows and others outside WinAnsi
    }
  }
  return out;
}

std::string RenderPdf(const std::vector<PdfLine>& lines, const std::string& title) {
  // Split into pages by height.
  std::vector<std::string> contents;
  std::string stream;
  double y = kPageHeight - kMargin;
  for (const PdfLine& line : lines) {
    const double leading = line.size * 1.45;
    if (y - leading < kMargin) {
      contents.push_back(std::move(stream));
      stream.clear();
      y = kPageHeight - kMargin;
    }
    y -= leading;
    stream += "BT /" + std::string(line.bold ? "F2" : "F1") + " " + Number(line.size) + " Tf " +
              Number(kMargin + line.indent) + " " + Number(y) + " Td " +
              PdfString(ToWinAnsi(line.text)) + " Tj ET\n";
  }
  contents.push_back(std::move(stream));

  // Objects: 1 catalog, 2 pages, 3 font, 4 bold font, 5 info, then (page, content) pairs.
  std::vector<std::string> objects;
  const std::size_t pages = contents.size();
  objects.emplace_back("<< /Type /Catalog /Pages 2 0 R >>");
  std::string kids;
  for (std::size_t i = 0; i < pages; ++i) kids += std::to_string(6 + 2 * i) + " 0 R ";
  objects.push_back("<< /Type /Pages /Kids [" + kids + "] /Count " + std::to_string(pages) + " >>");
  objects.emplace_back(
      "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>");
  objects.emplace_back(
      "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>");
  objects.push_back("<< /Title " + PdfString(ToWinAnsi(title)) +
                    " /Producer (codezero stripe-fake) >>");
  for (std::size_t i = 0; i < pages; ++i) {
    objects.push_back("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 " + Number(kPageWidth) + " " +
                      Number(kPageHeight) + "] /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> " +
                      "/Contents " + std::to_string(7 + 2 * i) + " 0 R >>");
    objects.push_back("<< /Length " + std::to_string(contents[i].size()) + " >>\nstream\n" +
                      contents[i] + "endstream");
  }

  std::string pdf = "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n";
  std::vector<std::size_t> offsets;
  for (std::size_t i = 0; i < objects.size(); ++i) {
    offsets.push_back(pdf.size());
    pdf += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
  }
  const std::size_t xref = pdf.size();
  pdf += "xref\n0 " + std::to_string(objects.size() + 1) + "\n0000000000 65535 f \n";
  for (const std::size_t offset : offsets) {
    char entry[32];
    std::snprintf(entry, sizeof entry, "%010zu 00000 n \n", offset);
    pdf += entry;
  }
  pdf += "trailer\n<< /Size " + std::to_string(objects.size() + 1) +
         " /Root 1 0 R /Info 5 0 R >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
  return pdf;
}

}  // namespace codezero::stripe_fake
