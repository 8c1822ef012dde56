#include "web/compression.h"

#include <brotli/encode.h>
#include <zlib.h>

#include <stdexcept>

#include "web/header_lists.h"

namespace codezero::web {
namespace {

void AppendLittleEndian(std::string& out, std::uint32_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xFF));
}

std::string DeflateSyncFlushed(std::string_view prefix) {
  z_stream stream{};
  // Raw deflate (negative window bits): the gzip header and trailer are written here.
  if (deflateInit2(&stream, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    throw std::runtime_error("deflateInit2 failed");
  }
  std::string out = {'\x1f', '\x8b', '\x08', '\x00', '\x00',
                     '\x00', '\x00', '\x00', '\x00', '\x03'};
  const std::size_t header = out.size();
  out.resize(header + deflateBound(&stream, prefix.size()) + 16);
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(prefix.data()));
  stream.avail_in = static_cast<uInt>(prefix.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data() + header);
  stream.avail_out = static_cast<uInt>(out.size() - header);
  const int result = deflate(&stream, Z_SYNC_FLUSH);
  const std::size_t written = out.size() - header - stream.avail_out;
  deflateEnd(&stream);
  if (result != Z_OK || stream.avail_in != 0) throw std::runtime_error("deflate failed");
  out.resize(header + written);
  return out;
}

std::string BrotliFlushed(std::string_view prefix) {
  BrotliEncoderState* state = BrotliEncoderCreateInstance(nullptr, nullptr, nullptr);
  if (state == nullptr) throw std::runtime_error("BrotliEncoderCreateInstance failed");
  BrotliEncoderSetParameter(state, BROTLI_PARAM_QUALITY, 5);
  BrotliEncoderSetParameter(state, BROTLI_PARAM_MODE, BROTLI_MODE_TEXT);
  BrotliEncoderSetParameter(state, BROTLI_PARAM_SIZE_HINT,
                            static_cast<std::uint32_t>(prefix.size()));
  std::string out;
  std::size_t available_in = prefix.size();
  const auto* next_in = reinterpret_cast<const std::uint8_t*>(prefix.data());
  bool ok = true;
  while (ok) {
    std::size_t available_out = 0;
    ok = BrotliEncoderCompressStream(state, BROTLI_OPERATION_FLUSH, &available_in, &next_in,
                                     &available_out, nullptr, nullptr) == BROTLI_TRUE;
    std::size_t size = 0;
    const std::uint8_t* output = BrotliEncoderTakeOutput(state, &size);
    out.append(reinterpret_cast<const char*>(output), size);
    if (available_in == 0 && BrotliEncoderHasMoreOutput(state) == BROTLI_FALSE) break;
  }
  BrotliEncoderDestroyInstance(state);
  if (!ok) throw std::runtime_error("brotli compression failed");
  return out;
}

}  // namespace

std::string_view ToString(ContentEncoding encoding) {
  switch (encoding) {
    case ContentEncoding::kBrotli:
      return "br";
    case ContentEncoding::kGzip:
      return "gzip";
    case ContentEncoding::kIdentity:
      return "";
  }
  return "";
}

ContentEncoding NegotiateEncoding(std::string_view accept_encoding) {
  double br = -1, gzip = -1, any = -1;
  ForEachListElement(accept_encoding, [&](std::string_view token, double quality) {
    if (EqualsIgnoreCase(token, "br"))
      br = quality;
    else if (EqualsIgnoreCase(token, "gzip") || EqualsIgnoreCase(token, "x-gzip"))
      gzip = quality;
    else if (token == "*")
      any = quality;
  });
  if (br < 0) br = any;
  if (gzip < 0) gzip = any;
  if (br > 0 && br >= gzip) return ContentEncoding::kBrotli;
  if (gzip > 0) return ContentEncoding::kGzip;
  return ContentEncoding::kIdentity;
}

CompressedPrefix CompressPrefix(std::string_view prefix) {
  CompressedPrefix compressed;
  compressed.gzip = DeflateSyncFlushed(prefix);
  compressed.gzip_crc = static_cast<std::uint32_t>(
      crc32(0, reinterpret_cast<const Bytef*>(prefix.data()), static_cast<uInt>(prefix.size())));
  compressed.size = static_cast<std::uint32_t>(prefix.size());
  compressed.brotli = BrotliFlushed(prefix);
  return compressed;
}

void AppendBody(ContentEncoding encoding, std::string_view identity,
                const CompressedPrefix& compressed, std::string_view tail, std::string& out) {
  const auto tail_size = static_cast<std::uint32_t>(tail.size());
  switch (encoding) {
    case ContentEncoding::kIdentity:
      out.append(identity);
      out.append(tail);
      return;
    case ContentEncoding::kGzip: {
      out.append(compressed.gzip);
      // Stored blocks of at most 65535 bytes (LEN is 16 bits), the last one final: BFINAL,
      // BTYPE = 00, then LEN and its one's complement. An empty tail is one empty final block.
      std::string_view rest = tail;
      do {
        const std::string_view block = rest.substr(0, 65535);
        rest.remove_prefix(block.size());
        const auto size = static_cast<std::uint32_t>(block.size());
        out.push_back(rest.empty() ? '\x01' : '\x00');
        AppendLittleEndian(out, size, 2);
        AppendLittleEndian(out, ~size & 0xFFFF, 2);
        out.append(block);
      } while (!rest.empty());
      const auto crc = static_cast<std::uint32_t>(
          crc32(compressed.gzip_crc, reinterpret_cast<const Bytef*>(tail.data()), tail_size));
      AppendLittleEndian(out, crc, 4);
      AppendLittleEndian(out, compressed.size + tail_size, 4);
      return;
    }
    case ContentEncoding::kBrotli: {
      out.append(compressed.brotli);
      // Uncompressed meta-blocks of at most 65536 bytes: ISLAST = 0, MNIBBLES = 0 (four
      // nibbles), MLEN - 1 in 16 bits, ISUNCOMPRESSED = 1; 20 bits, padded with zeros to three
      // bytes, then the bytes themselves.
      std::string_view rest = tail;
      while (!rest.empty()) {
        const std::string_view block = rest.substr(0, 65536);
        rest.remove_prefix(block.size());
        const auto size = static_cast<std::uint32_t>(block.size());
        const std::uint32_t header = ((size - 1) << 3) | (1U << 19);
        AppendLittleEndian(out, header, 3);
        out.append(block);
      }
      out.push_back('\x03');  // ISLAST = 1, ISLASTEMPTY = 1
      return;
    }
  }
}

}  // namespace codezero::web
