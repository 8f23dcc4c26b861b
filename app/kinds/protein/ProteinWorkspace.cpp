#include "kinds/protein/ProteinWorkspace.h"

#include "io/TextFile.h"
#include "kinds/protein/ProteinKind.h"
#include "model/SequenceModel.h"

#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QPushButton>
#include <QHBoxLayout>
#include <QLabel>
#include <QSpinBox>

namespace attn::kinds {

ProteinWorkspace::ProteinWorkspace(const Kind& kind, WorkspaceHost& host)
    : Workspace(kind, host), views_(explorer_), controls_(adopt(new QWidget)), maxSequences_(new QSpinBox),
      subsample_(new QComboBox), sequencesLabel_(new QLabel(tr("Sequences at most"))), chosenLabel_(new QLabel(tr("chosen"))),
      structureButton_(new QPushButton(tr("Structure…"))), chain_(new QComboBox)
{
    for (const TitledWidget& tab : views_.tabs())
        adopt(tab.widget);
    auto* row = new QHBoxLayout(controls_);
    row->setContentsMargins(0, 0, 0, 0);
    maxSequences_->setRange(1, 1024); // the MSA Transformer's row embedding covers 1024
    maxSequences_->setValue(64);
    maxSequences_->setToolTip(tr("Sequences the MSA Transformer sees, the query included. Column attention grows with their square."));
    subsample_->addItems({"diverse", "first", "random"});
    subsample_->setToolTip(tr("diverse: ESM's greedy choice of the most different sequences; first: in file order; random: seeded"));
    row->addWidget(sequencesLabel_);
    row->addWidget(maxSequences_);
    row->addWidget(chosenLabel_);
    row->addWidget(subsample_);
    row->addSpacing(16);
    structureButton_->setToolTip(tr("Open a PDB or mmCIF structure of the query: true contacts and the 3D view"));
    chain_->setToolTip(tr("The structure's chain the query is placed on (the best match is chosen first)"));
    chain_->setEnabled(false);
    row->addWidget(structureButton_);
    row->addWidget(new QLabel(tr("chain")));
    row->addWidget(chain_);
    row->addStretch(1);
    connect(structureButton_, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(controls_, tr("Open a structure"), QFileInfo(path_).absolutePath(),
                                                          tr("Structures (*.pdb *.ent *.cif *.mmcif *.gz);;All files (*)"));
        if (!path.isEmpty())
            open(path);
    });
    connect(chain_, &QComboBox::activated, this, &ProteinWorkspace::chooseChain);
    const auto rerun = [this] {
        if (canRun())
            run();
    };
    connect(maxSequences_, &QSpinBox::editingFinished, this, rerun);
    connect(subsample_, &QComboBox::currentIndexChanged, this, rerun);
    connect(&runJob_, &BackgroundJob::succeeded, this, &ProteinWorkspace::showFinishedRun);
}

void ProteinWorkspace::showFinishedRun()
{
    last_ = std::move(*pending_);
    const widgets::RunData& data = last_->data;
    explorer_.setRun(data);
    views_.showRun(last_.get());
    host_.showStatus(tr("Ran %1 (%n sequence(s), %2 tokens per row)", "", static_cast<int>(last_->msa.sequences()))
                         .arg(data.name).arg(data.length()));
    emit message(data.unknownCount > 0 ? tr("%1 residue letters are not in the model's alphabet and ran as <unk>.").arg(data.unknownCount)
                                       : QString());
    emit ran();
}

ProteinWorkspace::~ProteinWorkspace() = default;

void ProteinWorkspace::modelChanged()
{
    // ESM runs on the query alone: how many sequences an MSA Transformer sees does not apply
    const bool single = dynamic_cast<const SequenceModel*>(host_.model().get()) != nullptr;
    for (QWidget* w : std::initializer_list<QWidget*>{maxSequences_, subsample_, sequencesLabel_, chosenLabel_})
        w->setVisible(!single);
}

bool ProteinWorkspace::open(const QString& path)
{
    const std::string file = path.toStdString();
    openInBackground(tr("Cannot open data"), [this, path, file]() -> ApplyOpened {
        if (looksLikeStructure(textHead(file))) {
            auto structure = std::make_shared<const ProteinStructure>(readStructure(file));
            return [this, path, structure] { return showStructure(path, structure); };
        }
        InputChoice choice;
        choice.input = file;
        bool aligned = true;
        Msa read = readProteinData(file, true, &aligned);
        // plain sequences: the first runs through a single-sequence model
        auto in = std::make_shared<ProteinInput>(selectProteinInput(std::move(read), choice, !aligned));
        return [this, path, in] {
            showAlignment(path, std::move(in->msa));
            return OpenedAs::Input;
        };
    });
    return true;
}

void ProteinWorkspace::showAlignment(const QString& path, Msa msa)
{
    msa_ = std::move(msa);
    path_ = path;
    last_.reset();
    structure_.reset();
    structurePath_.clear();
    chain_->clear();
    chain_->setEnabled(false);
    views_.showAlignment(std::make_shared<const Msa>(msa_));
}

Workspace::OpenedAs ProteinWorkspace::showStructure(const QString& path, std::shared_ptr<const ProteinStructure> structure)
{
    const bool alone = !hasData();
    if (alone) { // its first chain's sequence is the alignment
        MsaRow row;
        row.name = QFileInfo(path).fileName().toStdString() + " chain " + structure->chains.front().name;
        row.residues = structure->chains.front().sequence();
        Msa msa;
        msa.rows.push_back(std::move(row));
        showAlignment(path, std::move(msa));
    }
    structurePath_ = path;
    auto open = std::make_shared<OpenStructure>();
    open->structure = structure;
    structure_ = open;
    {
        const QSignalBlocker block(chain_);
        chain_->clear();
        for (const StructureChain& c : structure->chains)
            chain_->addItem(QString::fromStdString(c.name));
        chain_->setEnabled(structure->chains.size() > 1);
    }
    const int named = chain_->findText(std::exchange(sessionChain_, {}));
    chooseChain(named >= 0 ? named : bestChain(*structure, msa_.rows.front().residues));
    if (last_)
        views_.showRun(last_.get());
    host_.showStatus(tr("Opened structure %1").arg(QFileInfo(path).fileName()));
    return alone ? OpenedAs::Input : OpenedAs::Companion;
}

void ProteinWorkspace::chooseChain(int chain)
{
    if (!structure_ || chain < 0 || chain >= static_cast<int>(structure_->structure->chains.size()))
        return;
    const auto open = std::make_shared<const OpenStructure>(placeQuery(structure_->structure, chain, msa_.rows.front().residues));
    structure_ = open;
    chain_->setCurrentIndex(chain);
    views_.showStructure(structure_);
    if (!open->contacts.mapping.unmatched.empty())
        emit message(tr("%1 of %2 query residues are not in chain %3 of the structure.")
                         .arg(open->contacts.mapping.unmatched.size()).arg(open->contacts.mapping.residue.size())
                         .arg(QString::fromStdString(open->contacts.chain)));
    if (last_ && !interventions().empty() && canRun())
        run(); // the prediction line compares a changed run by the structure's contacts: measure it against this one
}

void ProteinWorkspace::run()
{
    const auto model = host_.model();
    if (!model || !hasData())
        return;
    const bool single = dynamic_cast<const SequenceModel*>(model.get()) != nullptr;
    auto pending = std::make_shared<std::unique_ptr<ProteinKindRun>>();
    InputChoice choice;
    choice.input = path_.toStdString();
    choice.maxSequences = maxSequences_->value();
    choice.subsample = subsample_->currentText().toStdString();
    runJob_.start([model, msa = msa_, single, choice, pending, options = runOptions(), &kind = kind_, structure = structure_](Progress& progress) mutable {
        options.progress = &progress;
        const ProteinInput input = selectProteinInput(msa, choice, single);
        *pending = ProteinKind::runOn(model, input, choice.input, options);
        if (structure) // judged by its contact head against the structure: importance, the prediction line, faithfulness
            (*pending)->contactTruth = ProteinKind::contactTruth(**pending, structure->contacts.truth);
        kind.finishRun(model, **pending, options);
    });
    pending_ = pending;
}

std::optional<InputChoice> ProteinWorkspace::inputChoice() const
{
    if (!hasData())
        return std::nullopt;
    InputChoice c;
    c.input = path_.toStdString();
    c.maxSequences = maxSequences_->value();
    c.subsample = subsample_->currentText().toStdString();
    return c;
}

std::vector<std::pair<QString, BackgroundJob*>> ProteinWorkspace::backgroundJobs()
{
    return {{tr("Analysing the alignment"), &views_.analysisJob()}};
}

QString ProteinWorkspace::dataSummaryHtml() const
{
    if (msa_.rows.empty())
        return {};
    return "<p><b>" + QFileInfo(path_).fileName().toHtmlEscaped() + "</b>: "
        + tr("%n sequence(s)", "", static_cast<int>(msa_.sequences())) + ", " + tr("%1 columns").arg(msa_.columns()) + "</p><p>"
        + tr("Query: %1").arg(QString::fromStdString(msa_.queryName()).toHtmlEscaped()) + "</p>"
        + (structure_ ? "<p>" + tr("Structure %1, chain %2: %3 of %4 query residues have coordinates")
                                    .arg(QFileInfo(structurePath_).fileName().toHtmlEscaped(), QString::fromStdString(structure_->contacts.chain))
                                    .arg(structure_->contacts.withCoordinates).arg(structure_->contacts.mapping.residue.size()) + "</p>"
                      : QString());
}

QJsonObject ProteinWorkspace::saveState() const
{
    QJsonObject state{{"max_sequences", maxSequences_->value()}, {"subsample", subsample_->currentText()}};
    if (structure_ && structurePath_ != path_) {
        state["structure"] = structurePath_;
        state["chain"] = chain_->currentText();
    }
    return state;
}

void ProteinWorkspace::applyState(const QJsonObject& state)
{
    const QSignalBlocker a(maxSequences_), b(subsample_); // the session runs once, when everything is restored
    if (state.contains("max_sequences"))
        maxSequences_->setValue(state.value("max_sequences").toInt());
    const int i = subsample_->findText(state.value("subsample").toString());
    if (i >= 0)
        subsample_->setCurrentIndex(i);
    const QString structure = state.value("structure").toString();
    if (!structure.isEmpty() && QFileInfo::exists(structure)) { // read in the background, beside the alignment
        sessionChain_ = state.value("chain").toString();
        open(structure);
    }
}

} // namespace attn::kinds
