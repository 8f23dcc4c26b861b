#include "start/StartPage.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace attn::widgets {

StartPage::StartPage(QWidget* parent)
    : QWidget(parent)
{
    setObjectName("startPage");
    auto* title = new QLabel(tr("<h1>attnscope</h1><p>Explore what multi-head attention does inside a Transformer.</p>"
                                "<h2>No data loaded</h2>"));
    title->setAlignment(Qt::AlignHCenter);
    openable_ = tr("<p>You can open:</p><ul>"
                   "<li><b>DNA sequences</b>: FASTA files (.fa, .fasta, .fna), one or more records.</li>"
                   "<li><b>A CT study</b>: a folder of DICOM files (searched recursively, or through its DICOMDIR).</li>"
                   "<li><b>A model</b>: a folder holding <tt>config.json</tt> and <tt>model.safetensors</tt> "
                   "(families <tt>torch_encoder</tt> and <tt>bert</tt> for DNA, <tt>ct_encoder</tt> for CT; "
                   "see docs/model-format.md).</li>"
                   "</ul><p>Drop a file or folder here, or use the buttons below or the File menu "
                   "(File &gt; Open Demo has a DNA and a CT demo).</p>"
                   "<p>The same work runs headless with <tt>attnscope-cli</tt>.</p>");
    auto* body = new QLabel(openable_);
    body->setObjectName("openableText");
    body->setWordWrap(true);
    body->setTextFormat(Qt::RichText);
    body->setMaximumWidth(640);
    auto* openData = new QPushButton(tr("Open data…"));
    openData->setObjectName("openDataButton");
    auto* openModel = new QPushButton(tr("Open model…"));
    openModel->setObjectName("openModelButton");
    auto* openDicom = new QPushButton(tr("Open DICOM folder…"));
    openDicom->setObjectName("openDicomButton");
    auto* ctDemo = new QPushButton(tr("Open the CT demo"));
    ctDemo->setObjectName("openCtDemoButton");
    connect(openData, &QPushButton::clicked, this, &StartPage::openDataRequested);
    connect(openModel, &QPushButton::clicked, this, &StartPage::openModelRequested);
    connect(openDicom, &QPushButton::clicked, this, &StartPage::openDicomRequested);
    connect(ctDemo, &QPushButton::clicked, this, &StartPage::openCtDemoRequested);
    auto* buttons = new QHBoxLayout;
    buttons->addStretch();
    buttons->addWidget(openData);
    buttons->addWidget(openModel);
    buttons->addWidget(openDicom);
    buttons->addWidget(ctDemo);
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
