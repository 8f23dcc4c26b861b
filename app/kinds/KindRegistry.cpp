#include "kinds/KindRegistry.h"

#include "util/Error.h"

namespace attn::kinds {

// Each kind's folder defines its accessor; adding a kind is one line here.
const Kind& dnaKind(); // kinds/dna
const Kind& ctKind();  // kinds/ct

const std::vector<const Kind*>& kindRegistry()
{
    static const std::vector<const Kind*> kinds{&dnaKind(), &ctKind()};
    return kinds;
}

const Kind& kindRunning(const Model& model, const std::string& modelPath)
{
    for (const Kind* kind : kindRegistry())
        if (kind->runs(model))
            return *kind;
    throw FormatError(modelPath + ": no kind of data runs " + model.family() + " models");
}

} // namespace attn::kinds
