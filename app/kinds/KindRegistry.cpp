#include "kinds/KindRegistry.h"

#include "util/Error.h"

namespace attn::kinds {

// Each kind's folder defines its accessor; adding a kind is one line here.
const Kind& dnaKind(); // kinds/dna
const Kind& ctKind();  // kinds/ct
const Kind& proteinKind(); // kinds/protein
const Kind& ehrKind();     // kinds/ehr

const std::vector<const Kind*>& kindRegistry()
{
    static const std::vector<const Kind*> kinds{&dnaKind(), &ctKind(), &proteinKind(), &ehrKind()};
    return kinds;
}

const Kind* kindAccepting(const std::filesystem::path& path)
{
    for (const Kind* kind : kindRegistry())
        if (kind->accepts(path))
            return kind;
    return nullptr;
}

std::string openableDescription()
{
    std::string s = "model folders, fair-esm .pt files";
    for (const Kind* kind : kindRegistry())
        s += ", " + kind->opens();
    return s;
}

void requireContent(const std::filesystem::path& path)
{
    std::error_code ec;
    const bool empty = std::filesystem::is_regular_file(path, ec) && std::filesystem::file_size(path, ec) == 0 && !ec;
    check<IoError>(!empty, path.string() + " is empty");
}

const Kind& kindRunning(const Model& model, const std::string& modelPath)
{
    for (const Kind* kind : kindRegistry())
        if (kind->runs(model))
            return *kind;
    throw FormatError(modelPath + ": no kind of data runs " + model.family() + " models");
}

} // namespace attn::kinds
