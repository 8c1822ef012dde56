// HTML bodies compressed once and served many times, each response with a tail of its own.
//
// A cached page is the same for every visitor except its last bytes: the per-response CSP
// nonce and CSRF token live in a short tail at the end of <body> (Site::Respond). The
// shared part is compressed once, the stream flushed to a byte boundary and left open; each
// response appends its tail as an uncompressed block and closes the stream:
//
//   gzip (RFC 1952/1951): the prefix deflated with a sync flush, then a final *stored* block
//   holding the tail, then the CRC-32 (the prefix's, continued over the tail) and the length;
//   brotli (RFC 7932): the prefix with BROTLI_OPERATION_FLUSH, then an *uncompressed*
//   meta-block holding the tail, then the empty last meta-block.
//
// Appending costs a copy of the compressed prefix and a CRC over the tail (microseconds),
// instead of compressing 30 KB per response (hundreds of microseconds).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace codezero::web {

enum class ContentEncoding { kIdentity, kGzip, kBrotli };

// "br", "gzip" or "" (identity), for the Content-Encoding header.
[[nodiscard]] std::string_view ToString(ContentEncoding encoding);

// The best encoding the client accepts (RFC 9110 §12.5.3): br, then gzip, then identity.
// A coding with q=0 is refused; "*" stands for any coding not named.
[[nodiscard]] ContentEncoding NegotiateEncoding(std::string_view accept_encoding);

struct CompressedPrefix {
  std::string gzip;            // gzip header + deflate blocks, sync-flushed, no final block
  std::uint32_t gzip_crc = 0;  // CRC-32 of the prefix
  std::uint32_t size = 0;      // the prefix's uncompressed length
  std::string brotli;          // brotli stream, flushed, no last meta-block
};

// Compresses `prefix` both ways (gzip level 6, brotli quality 5: a cache miss stays cheap).
[[nodiscard]] CompressedPrefix CompressPrefix(std::string_view prefix);

// Appends the whole response body, prefix then `tail` (of any length: it is split into blocks
// as the formats require), in `encoding` to `out`.
// REQUIRES: `compressed` was made from `identity`.
void AppendBody(ContentEncoding encoding, std::string_view identity,
                const CompressedPrefix& compressed, std::string_view tail, std::string& out);

}  // namespace codezero::web
