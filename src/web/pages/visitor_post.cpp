#include "web/pages/visitor_post.h"

#include "common/json_writer.h"
#include "http/client_address.h"
#include "web/api_client.h"

namespace codezero::web {

boost::asio::awaitable<Result<http::Response>> PostForVisitor(Site& site,
                                                              const http::Request& request,
                                                              const http::RequestContext& context,
                                                              std::string path, std::string body) {
  ApiCall call;
  call.method = http::Verb::post;
  call.path = std::move(path);
  call.body = std::move(body);
  call.request_id = context.request_id;
  call.client_address = http::ClientAddress(request, context, site.settings().trusted_proxies);
  auto answer = co_await site.api().Send(std::move(call));
  if (answer && answer->result_int() >= 500) co_return tl::unexpected(ErrorOfApiAnswer(*answer));
  co_return answer;
}

std::string TokenBody(const std::string& token,
                      const std::vector<std::pair<std::string, std::string>>& more) {
  JsonWriter json(256);
  json.BeginObject();
  json.Member("token", token);
  for (const auto& [name, value] : more) json.Member(name, value);
  json.EndObject();
  return std::move(json).Take();
}

}  // namespace codezero::web
