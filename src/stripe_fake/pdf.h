// A minimal PDF 1.4 writer for invoices: A4 pages of left-aligned text lines in Helvetica
// (a standard font every reader has, WinAnsiEncoding, so €, ä, ö, ü, ß print), with a correct
// cross-reference table. No images, no compression.
#pragma once

#include <string>
#include <vector>

namespace codezero::stripe_fake {

struct PdfLine {
  std::string text;  // UTF-8; characters outside WinAnsi print as '?'
  double size = 10;
  bool bold = false;
  double indent = 0;  // points from the left margin
};

// The whole document; a new page starts every ~60 lines.
[[nodiscard]] std::string RenderPdf(const std::vector<PdfLine>& lines, const std::string& title);

// UTF-8 to WinAnsi (cp1252) bytes; unknown characters become '?'. Exposed for tests.
[[nodiscard]] std::string ToWinAnsi(std::string_view utf8);

}  // namespace codezero::stripe_fake
