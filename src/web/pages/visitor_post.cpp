#include "web/pages/visitor_post.h"

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

}  // namespace codezero::web
