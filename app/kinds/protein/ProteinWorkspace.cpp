#include "kinds/protein/ProteinWorkspace.h"

#include "kinds/protein/ProteinKind.h"
#include "model/EsmModel.h"

#include <QComboBox>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QSpinBox>

namespace attn::kinds {

ProteinWorkspace::ProteinWorkspace(const Kind& kind, WorkspaceHost& host)
    : Workspace(kind, host), controls_(adopt(new QWidget)), maxSequences_(new QSpinBox), subsample_(new QComboBox)
{
    auto* row = new QHBoxLayout(controls_);
    row->setContentsMargins(0, 0, 0, 0);
    maxSequences_->setRange(1, 1024); // the MSA Transformer's row embedding covers 1024
    maxSequences_->setValue(64);
    maxSequences_->setToolTip(tr("Sequences the MSA Transformer sees, the query included. Column attention grows with their square."));
    subsample_->addItems({"diverse", "first", "random"});
    subsample_->setToolTip(tr("diverse: ESM's greedy choice of the most different sequences; first: in file order; random: seeded"));
    row->addWidget(new QLabel(tr("Sequences at most")));
    row->addWidget(maxSequences_);
    row->addWidget(new QLabel(tr("chosen")));
    row->addWidget(subsample_);
    row->addStretch(1);
    const auto rerun = [this] {
        if (canRun())
            run();
    };
    connect(maxSequences_, &QSpinBox::editingFinished, this, rerun);
    connect(subsample_, &QComboBox::currentIndexChanged, this, rerun);
    connect(&runJob_, &BackgroundJob::succeeded, this, [this] {
        last_ = std::move(*pending_);
        const widgets::RunData& data = last_->data;
        host_.explorer().setRun(data);
        host_.showStatus(tr("Ran %1 (%2 sequences, %3 tokens per row)").arg(data.name).arg(last_->msa.sequences()).arg(data.length()));
        emit message(data.unknownCount > 0
                         ? tr("%1 residue letters are not in the model's alphabet and ran as <unk>.").arg(data.unknownCount)
                         : QString());
        emit ran();
    });
}

ProteinWorkspace::~ProteinWorkspace() = default;

bool ProteinWorkspace::open(const QString& path)
{
    ProteinInput in;
    try {
        InputChoice choice;
        choice.input = path.toStdString();
        in = readProteinInput(choice, false);
    } catch (const std::exception& alignment) {
        try { // not an alignment: plain sequences still run through ESM
            InputChoice choice;
            choice.input = path.toStdString();
            in = readProteinInput(choice, true);
        } catch (const std::exception&) {
            host_.showError(tr("Cannot open data"), QString::fromStdString(alignment.what()));
            return false;
        }
    }
    msa_ = std::move(in.msa);
    path_ = path;
    last_.reset();
    finishOpen();
    return true;
}

void ProteinWorkspace::run()
{
    const auto model = host_.model();
    if (!model || !hasData())
        return;
    const bool single = dynamic_cast<const EsmModel*>(model.get()) != nullptr;
    auto pending = std::make_shared<std::unique_ptr<ProteinKindRun>>();
    InputChoice choice;
    choice.input = path_.toStdString();
    choice.maxSequences = maxSequences_->value();
    choice.subsample = subsample_->currentText().toStdString();
    runJob_.start([model, msa = msa_, single, choice, pending](Progress& progress) {
        RunOptions options;
        options.progress = &progress;
        *pending = ProteinKind::runOn(model, selectProteinInput(msa, choice, single), choice.input, options);
    });
    pending_ = pending;
}

QString ProteinWorkspace::dataSummaryHtml() const
{
    if (msa_.rows.empty())
        return {};
    return "<p><b>" + QFileInfo(path_).fileName().toHtmlEscaped() + "</b>: "
        + tr("%n sequence(s)", "", static_cast<int>(msa_.sequences())) + ", " + tr("%1 columns").arg(msa_.columns()) + "</p><p>"
        + tr("Query: %1").arg(QString::fromStdString(msa_.queryName()).toHtmlEscaped()) + "</p>";
}

QJsonObject ProteinWorkspace::saveState() const
{
    return {{"max_sequences", maxSequences_->value()}, {"subsample", subsample_->currentText()}};
}

void ProteinWorkspace::applyState(const QJsonObject& state)
{
    const QSignalBlocker a(maxSequences_), b(subsample_); // the session runs once, when everything is restored
    if (state.contains("max_sequences"))
        maxSequences_->setValue(state.value("max_sequences").toInt());
    const int i = subsample_->findText(state.value("subsample").toString());
    if (i >= 0)
        subsample_->setCurrentIndex(i);
}

} // namespace attn::kinds
