#include "common/HeadChoices.h"

#include <QComboBox>
#include <QPoint>

namespace attn::widgets {

void fillHeadChoices(QComboBox* box, const QString& first, int layers, int heads, const QString& format)
{
    const QSignalBlocker block(box);
    box->clear();
    box->addItem(first, QPoint(-1, -1));
    for (int l = 0; l < layers; ++l)
        for (int h = 0; h < heads; ++h)
            box->addItem(format.arg(l).arg(h), QPoint(l, h));
}

} // namespace attn::widgets
