#include "svg_summary.h"

#include <expat.h>

namespace lamtool::test {
namespace {

struct State {
  int depth = 0;
  SvgSummary* out;
};

void on_start(void* data, const XML_Char* name, const XML_Char** attrs) {
  auto* st = static_cast<State*>(data);
  std::string n = name;
  if (st->depth++ == 0) {
    st->out->root = n;
    for (int k = 0; attrs[k] != nullptr; k += 2) {
      std::string key = attrs[k];
      if (key == "width") st->out->width = attrs[k + 1];
      if (key == "height") st->out->height = attrs[k + 1];
    }
  }
  if (n.ends_with(" path")) ++st->out->paths;
  if (n.ends_with(" image")) ++st->out->images;
}

void on_end(void* data, const XML_Char*) { --static_cast<State*>(data)->depth; }

}  // namespace

SvgSummary summarise_svg(const std::string& svg) {
  SvgSummary summary;
  State st{0, &summary};
  XML_Parser parser = XML_ParserCreateNS(nullptr, ' ');
  XML_SetUserData(parser, &st);
  XML_SetElementHandler(parser, on_start, on_end);
  auto status = XML_Parse(parser, svg.data(), static_cast<int>(svg.size()), 1);
  summary.well_formed = status == XML_STATUS_OK;
  if (!summary.well_formed) summary.error = XML_ErrorString(XML_GetErrorCode(parser));
  XML_ParserFree(parser);
  return summary;
}

}  // namespace lamtool::test
