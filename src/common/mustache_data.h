// JSON values as Mustache data (kainjow): objects become contexts, arrays lists, strings and
// numbers text, booleans and null decide sections. An empty string counts as false in a section
// (kainjow alone would render the section). E-mails and web pages build their values as
// JSON and render them with this.
#pragma once

#include <kainjow/mustache.hpp>

#include <boost/json/value.hpp>

namespace codezero {

[[nodiscard]] kainjow::mustache::data MustacheDataOf(const boost::json::value& value);

}  // namespace codezero
