#include "gui/StartPageFactory.h"

#include "kinds/KindRegistry.h"
#include "model/ModelFamily.h"
#include "start/StartPage.h"

namespace attn::app {

widgets::StartPage* startPageForKinds()
{
    QStringList opens, demos, families;
    for (const kinds::Kind* kind : kinds::kindRegistry()) {
        opens << QString::fromStdString(kind->name() + ": " + kind->opens());
        demos << QString::fromStdString(kind->name()); // the button says "Demo: CT"; File > Open Demo has the full title
    }
    for (const std::string& f : modelFamilyNames())
        families << QString::fromStdString(f);
    return new widgets::StartPage(opens, families, demos);
}

} // namespace attn::app
