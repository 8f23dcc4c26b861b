// attnscope-cli events: a patient record (FHIR or an event table) as MEDS-shaped events.csv.

#include "cli/CliCommands.h"

#include "ehr/EventReader.h"
#include "ehr/EventWriter.h"

#include <iostream>

namespace attn::cli {

void eventsCommand(const EventsArgs& args)
{
    EventReadOptions options;
    if (!args.mappingFile.empty())
        options.mapping = ColumnMapping::read(args.mappingFile);
    if (!args.columns.empty()) {
        const ColumnMapping given = ColumnMapping::parse(args.columns);
        for (const auto& [target, sources] : given.columns)
            options.mapping.columns[target] = sources;
        if (!given.codePrefix.empty())
            options.mapping.codePrefix = given.codePrefix;
    }
    options.subject = args.subject;
    const EventLoad load = readEvents(args.input, options);
    writeEventsCsv(load.table, args.out);
    std::cerr << load.report.summary();
    const std::size_t subjects = load.table.subjects().size();
    std::cout << args.input << ": " << load.table.events.size() << " events of " << subjects << " subject"
              << (subjects == 1 ? "" : "s") << ", " << load.report.warningCount() << " warnings, written to " << args.out << "\n";
}

} // namespace attn::cli
