//===- Report.h - The driver's error line ------------------------*- C++
//-*-===//
#ifndef CAJAL_TOOLS_REPORT_H
#define CAJAL_TOOLS_REPORT_H

#include <string>

namespace cajal::driver {

/// Print "cajal: error: <message>" to stderr; returns 1.
int reportError(const std::string &message);

} // namespace cajal::driver

#endif // CAJAL_TOOLS_REPORT_H
