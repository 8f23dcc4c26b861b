// attnscope-cli events: a patient record (FHIR or an event table) as MEDS-shaped events.csv.

#include "cli/CliCommands.h"

#include "ehr/EventReader.h"
#include "ehr/EventWriter.h"

#include <iostream>

namespace attn::cli {

void eventsCommand(const EventsArgs& args)
{
    EventReadOptions options;
    options.mapping = ColumnMapping::fromOptions(args.mappingFile, args.columns);
    options.subject = args.subject;
    const EventLoad load = readEvents(args.input, options);
    writeEventsCsv(load.table, args.out);
    std::cerr << load.report.summary();
    const std::size_t subjects = load.table.subjects().size();
    std::cout << args.input << ": " << load.table.events.size() << " events of " << subjects << " subject"
              << (subjects == 1 ? "" : "s") << ", " << load.report.warningCount() << " warnings, written to " << args.out << "\n";
}

} // namespace attn::cli
