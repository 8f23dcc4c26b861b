#include "start/StartPage.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace attn::widgets {

StartPage::StartPage(const QStringList& kinds, const QStringList& families, const QStringList& demos, QWidget* parent)
    : QWidget(parent)
{
    setObjectName("startPage");
    auto* title = new QLabel(tr("<h1>attnscope</h1><p>Explore what multi-head attention does inside a Transformer.</p>"
                                "<h2>No data loaded</h2>"));
    title->setAlignment(Qt::AlignHCenter);
    openable_ = tr("<p>You can open:</p><ul>");
    for (const QString& k : kinds)
        openable_ += "<li>" + k.toHtmlEscaped() + "</li>";
    openable_ += tr("<li><b>A model</b>: a folder holding <tt>config.json</tt> and its weights (<tt>model.safetensors</tt>, "
                    "<tt>pytorch_model.bin</tt>, a <tt>.pt</tt> file or shards; families %1; see docs/model-format.md), "
                    "or a fair-esm <tt>.pt</tt> file (ESM-2, ESM-1b, MSA Transformer).</li></ul>"
                    "<p>Files are recognised by their content. Drop a file or folder here, or use the buttons below "
                    "or the File menu.</p><p>The same work runs headless with <tt>attnscope-cli</tt>.</p>")
                     .arg("<tt>" + families.join("</tt>, <tt>") + "</tt>");
    auto* body = new QLabel(openable_);
    body->setObjectName("openableText");
    body->setWordWrap(true);
    body->setTextFormat(Qt::RichText);
    body->setMaximumWidth(640);
    auto* openFile = new QPushButton(tr("Open file…"));
    openFile->setObjectName("openFileButton");
    auto* openFolder = new QPushButton(tr("Open folder…"));
    openFolder->setObjectName("openFolderButton");
    connect(openFile, &QPushButton::clicked, this, &StartPage::openFileRequested);
    connect(openFolder, &QPushButton::clicked, this, &StartPage::openFolderRequested);
    auto* buttons = new QHBoxLayout;
    buttons->addStretch();
    buttons->addWidget(openFile);
    buttons->addWidget(openFolder);
    for (int i = 0; i < demos.size(); ++i) {
        auto* demo = new QPushButton(tr("Demo: %1").arg(demos[i]));
        demo->setObjectName(QString("demoButton%1").arg(i));
        connect(demo, &QPushButton::clicked, this, [this, i] { emit demoRequested(i); });
        buttons->addWidget(demo);
    }
    buttons->addStretch();
    auto* layout = new QVBoxLayout(this);
    layout->addStretch();
    layout->addWidget(title);
    auto* centred = new QHBoxLayout; // not addWidget(..., AlignHCenter): a word-wrapped label aligned
    centred->addStretch();           // that way gets too little height and loses its last lines
    centred->addWidget(body, 1);
    centred->addStretch();
    layout->addLayout(centred);
    layout->addLayout(buttons);
    layout->addStretch();
}

QString StartPage::openableText() const
{
    return openable_;
}

} // namespace attn::widgets
