#include "kinds/protein/ProteinViews.h"

#include "interpret/Coevolution.h"
#include "interpret/Rollout.h"
#include "kinds/protein/ProteinKind.h"
#include "model/layers/ContactHead.h"
#include "msa/SequenceWeights.h"
#include "structure/QueryMapping.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSplitter>
#include <QStandardItemModel>
#include <QVBoxLayout>

#include <algorithm>
#include <numeric>

namespace attn::kinds {
namespace {

/// Lays `tab` out as a labelled chooser in a row above `view`, which takes the rest.
void putBelowChooser(QWidget* tab, const QString& label, QComboBox* chooser, QWidget* view)
{
    auto* layout = new QVBoxLayout(tab);
    auto* row = new QHBoxLayout;
    row->addWidget(new QLabel(label));
    row->addWidget(chooser);
    row->addStretch(1);
    layout->addLayout(row);
    layout->addWidget(view, 1);
}

} // namespace

OpenStructure placeQuery(std::shared_ptr<const ProteinStructure> structure, int chain, const std::string& queryRow)
{
    OpenStructure open;
    open.contacts = structureContacts(queryRow, structure->chains[static_cast<std::size_t>(chain)]);
    open.structure = std::move(structure);
    open.chain = chain;
    return open;
}

int bestChain(const ProteinStructure& structure, const std::string& queryRow)
{
    int best = 0;
    std::size_t identical = 0;
    for (std::size_t c = 0; c < structure.chains.size(); ++c) {
        const QueryMapping m = mapQueryToChain(queryRow, structure.chains[c]);
        if (m.identical > identical) {
            identical = m.identical;
            best = static_cast<int>(c);
        }
    }
    return best;
}

ProteinViews::ProteinViews(widgets::ExplorerState& state)
    : state_(state), alignmentTab_(new QSplitter(Qt::Horizontal)), contactsTab_(new QWidget), structureTab_(new QWidget),
      msa_(new widgets::MsaView(&state)), column_(new widgets::ColumnAttentionView(&state)), contacts_(new widgets::ContactMapView(&state)),
      structure_(new widgets::StructureView), source_(new QComboBox), tube_(new QComboBox)
{
    connect(&analysis_, &widgets::BackgroundJob::succeeded, this, &ProteinViews::showAnalysis);
    buildAlignmentTab();
    alignmentTab_->setObjectName("alignmentTab");
    contactsTab_->setObjectName("contactsTab");
    msa_->setObjectName("msaView");
    column_->setObjectName("columnAttentionView");
    contacts_->setObjectName("contactMapView");
    structure_->setObjectName("structureView");
    source_->setObjectName("contactSource");
    source_->addItems({tr("Contact head"), tr("Selected head"), tr("MI-APC baseline")});
    putBelowChooser(contactsTab_, tr("Upper triangle:"), source_, contacts_);
    buildStructureTab();
    connect(tube_, &QComboBox::currentIndexChanged, this, [this](int i) {
        if (i == 1 && run_ && run_->axial)
            return tube_->setCurrentIndex(0); // no rollout along an alignment (see showRun)
        updateStructureValues();
    });

    connect(msa_, &widgets::MsaView::columnSelected, this, [this](int column) {
        const bool axial = run_ && run_->axial;
        column_->setToken(axial ? column + 1 : -1, tr("column %1").arg(column + 1));
    });
    connect(source_, &QComboBox::currentIndexChanged, this, [this](int i) {
        contacts_->setSource(static_cast<widgets::ContactSource>(i));
        updateStructureContacts();
    });
    connect(contacts_, &widgets::ContactMapView::pairClicked, this, &ProteinViews::selectPair);
    connect(&state_, &widgets::ExplorerState::headChanged, this, [this] {
        updateStructureValues();
        if (contacts_->source() == widgets::ContactSource::SelectedHead)
            updateStructureContacts();
    });
    connect(&state_, &widgets::ExplorerState::tokenChanged, this, [this] { updateStructureValues(); });
    connect(&state_, &widgets::ExplorerState::sourceChanged, this, [this] { updateStructureValues(); });
}

void ProteinViews::buildStructureTab()
{
    structureTab_->setObjectName("structureTab");
    tube_->setObjectName("tubeSource");
    tube_->addItems({tr("Selected head"), tr("Rollout (mean of heads)")});
    putBelowChooser(structureTab_, tr("Tube colour:"), tube_, structure_);
}

void ProteinViews::buildAlignmentTab()
{
    auto* split = static_cast<QSplitter*>(alignmentTab_);
    split->addWidget(msa_);
    split->addWidget(column_);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    split->setChildrenCollapsible(false);
    column_->setMinimumWidth(260); // its title, names and colour bar stay readable
    msa_->setMinimumWidth(260);
    split->setSizes({600, 400}); // the first split, in proportion: the column attention gets two fifths
}

std::vector<TitledWidget> ProteinViews::tabs() const
{
    return {{tr("Alignment"), "alignmentTab", alignmentTab_}, {tr("Contacts"), "contactsTab", contactsTab_},
            {tr("Structure"), "structureTab", structureTab_}};
}

std::vector<ExportEntry> ProteinViews::exportEntries() const
{
    return {{tr("A&lignment…"), "alignment", msa_}, {tr("&Column attention…"), "column-attention", column_},
            {tr("C&ontact map…"), "contacts", contacts_}, {tr("3D st&ructure…"), "structure", structure_}};
}

void ProteinViews::showAlignment(std::shared_ptr<const Msa> msa)
{
    shown_ = std::move(msa);
    queryColumns_ = shown_->queryColumns();
    run_ = nullptr;
    open_.reset();
    msa_->setAlignment(shown_, columnProfiles(*shown_)); // unweighted at once (one pass); weighted below
    baseline_ = Matrix();
    column_->setStore(nullptr, 0, 0, {});
    structure_->setTrace({}, {});
    updateContacts();
    startAnalysis();
}

void ProteinViews::startAnalysis()
{
    auto result = std::make_shared<Analysis>();
    result->msa = shown_;
    const std::vector<std::size_t> columns = queryColumns_;
    analysis_.start([result, columns](Progress&) { // O(N^2 L) weights and O(L^2) MI-APC: off the GUI thread
        const Msa& msa = *result->msa;
        result->profiles = columnProfiles(msa, sequenceWeights(msa));
        result->baseline = msa.sequences() > 1 ? inQueryNumbering(miApcBaseline(msa), columns) : Matrix();
    });
    analysed_ = result;
}

void ProteinViews::showAnalysis()
{
    if (!analysed_ || analysed_->msa != shown_)
        return; // another alignment was opened since
    msa_->setProfiles(std::move(analysed_->profiles));
    baseline_ = std::move(analysed_->baseline);
    analysed_.reset();
    updateContacts();
}

void ProteinViews::showStructure(std::shared_ptr<const OpenStructure> structure)
{
    open_ = std::move(structure);
    std::vector<std::optional<Eigen::Vector3d>> trace;
    QStringList labels;
    if (open_) {
        const StructureChain& chain = open_->structure->chains[static_cast<std::size_t>(open_->chain)];
        for (std::size_t k = 0; k < open_->contacts.mapping.residue.size(); ++k) {
            const int r = open_->contacts.mapping.residue[k];
            const bool ca = r >= 0 && chain.residues[static_cast<std::size_t>(r)].hasCa;
            trace.push_back(ca ? std::optional<Eigen::Vector3d>(chain.residues[static_cast<std::size_t>(r)].ca) : std::nullopt);
            labels << QString::fromStdString(open_->contacts.residueLabels[k]);
        }
    }
    structure_->setTrace(std::move(trace), labels);
    updateContacts(); // and the structure's lines and values
}

void ProteinViews::showRun(const ProteinKindRun* run)
{
    run_ = run;
    std::vector<int> tokens(shown_ ? shown_->columns() : 0, -1);
    if (run_ && run_->axial)
        std::iota(tokens.begin(), tokens.end(), 1);
    else if (run_)
        for (std::size_t k = 0; k < queryColumns_.size(); ++k)
            tokens[queryColumns_[k]] = static_cast<int>(k) + 1;
    msa_->setColumnTokens(tokens, run_ ? run_->data.result.get() : nullptr);
    if (run_ && run_->axial) {
        QStringList names;
        for (const MsaRow& row : run_->msa.rows)
            names << QString::fromStdString(row.name);
        std::shared_ptr<const AttentionStore> store(run_->outputs, &run_->outputs->columnAttention);
        column_->setStore(store, run_->outputs->result.attention.heads(), run_->outputs->result.attention.length(), names);
        if (msa_->selectedColumn() >= 0)
            column_->setToken(msa_->selectedColumn() + 1, tr("column %1").arg(msa_->selectedColumn() + 1));
    } else {
        column_->setStore(nullptr, 0, 0, {});
    }
    // rollout follows one token axis: ESM's; the MSA Transformer's column attention mixes the rows
    auto* rollout = qobject_cast<QStandardItemModel*>(tube_->model())->item(1);
    rollout->setEnabled(run_ && !run_->axial);
    rollout->setToolTip(run_ && run_->axial ? tr("Not for an MSA Transformer: its column attention mixes the rows, which rollout along one sequence leaves out") : QString());
    if (run_ && run_->axial)
        tube_->setCurrentIndex(0);
    updateContacts(); // and the structure's lines and values
}

int ProteinViews::tokenOfResidue(std::size_t k) const
{
    if (!run_ || k >= queryColumns_.size())
        return -1;
    return run_->axial ? static_cast<int>(queryColumns_[k]) + 1 : static_cast<int>(k) + 1;
}

void ProteinViews::updateContacts()
{
    widgets::ContactSources s;
    s.baseline = baseline_;
    if (open_)
        s.truth = open_->contacts.truth;
    if (shown_) {
        const std::string& query = shown_->rows.front().residues;
        std::size_t number = 0;
        for (std::size_t k = 0; k < queryColumns_.size(); ++k) {
            const std::string label = open_ ? open_->contacts.residueLabels[k] : std::string();
            s.residueLabels << (label.empty() ? QString("%1%2").arg(QChar(query[queryColumns_[k]])).arg(++number) : QString::fromStdString(label));
        }
    }
    if (run_) {
        const bool axial = run_->axial;
        const std::vector<std::size_t> columns = queryColumns_;
        const auto toQuery = [axial, columns](const Matrix& m) { return axial ? inQueryNumbering(m, columns) : m; };
        s.contactHead = toQuery(run_->outputs->contacts);
        s.contactHeadName = QString::fromStdString(run_->outputs->contactSource);
        source_->setItemText(0, run_->outputs->contactSource == "contact head" ? tr("Contact head") : tr("Mean over heads"));
        const auto outputs = run_->outputs;
        s.headMap = [outputs, toQuery](const AttentionStore& store, int layer, int head) {
            return store.length() == outputs->result.attention.length() ? toQuery(headContactMap(store, layer, head, 1, outputs->contacts.rows())) : Matrix();
        };
    }
    contacts_->setSources(std::move(s));
    updateStructureContacts();
}

void ProteinViews::updateStructureValues()
{
    if (!open_ || !run_ || !state_.hasRun() || state_.run().result != run_->data.result)
        return structure_->setLegend({}); // the shared views may show another kind's run
    const AttentionStore& store = state_.shownStore(); // the run's attention, or the map's decomposition of it
    const int layer = state_.layer(), head = state_.shownHead(state_.head()), token = state_.token();
    const QString what0 = state_.sourceMaps() ? state_.sourceName() : tr("attention");
    const QString where = state_.sourceMaps() ? tr("layer %1 (heads combined)").arg(layer) : tr("layer %1 head %2").arg(layer).arg(head);
    std::vector<float> values(queryColumns_.size(), 0.0f);
    QString what;
    if (tube_->currentIndex() == 1 && !run_->axial) { // the rollout row of the selected token, or of <cls>
        const int from = token >= 0 && token < store.length() ? token : 0;
        const RowVector row = rolloutRow(run_->outputs->result.attention, {}, RolloutOptions{}, from);
        for (std::size_t k = 0; k < values.size(); ++k)
            values[k] = row[tokenOfResidue(k)];
        what = tr("rollout from %1 (every layer, mean of heads)").arg(state_.run().tokens[from]);
    } else if (token >= 0 && token < store.length()) {
        const RowVector row = store.row(layer, head, token);
        for (std::size_t k = 0; k < values.size(); ++k)
            values[k] = row[tokenOfResidue(k)];
        what = tr("%1 from %2, %3").arg(what0, state_.run().tokens[token], where);
    } else { // what each residue receives, averaged over the query residues
        for (std::size_t q = 0; q < values.size(); ++q) {
            const RowVector row = store.row(layer, head, tokenOfResidue(q));
            for (std::size_t k = 0; k < values.size(); ++k)
                values[k] += row[tokenOfResidue(k)] / static_cast<float>(values.size());
        }
        what = tr("%1 received (mean over residues), %2").arg(what0, where);
    }
    structure_->setValues(std::move(values));
    widgets::StructureLegend legend{what, {}};
    if (!structure_->contacts().empty())
        legend.contacts = tr("top %1 pairs 6+ apart of the %2").arg(structure_->contacts().size()).arg(source_->currentText().toLower());
    structure_->setLegend(legend);
}

void ProteinViews::updateStructureContacts()
{
    const Matrix& p = contacts_->predicted();
    std::vector<widgets::ContactLine> lines;
    if (open_ && p.rows() == open_->contacts.truth.rows() && p.rows() > 0) {
        std::vector<std::pair<int, int>> pairs;
        for (int i = 0; i < p.rows(); ++i)
            for (int j = i + 6; j < p.cols(); ++j)
                if (open_->contacts.truth(i, j) >= 0.0f)
                    pairs.emplace_back(i, j);
        const std::size_t k = std::min(pairs.size(), static_cast<std::size_t>(p.rows() / 5));
        std::partial_sort(pairs.begin(), pairs.begin() + static_cast<std::ptrdiff_t>(k), pairs.end(),
                          [&p](const auto& a, const auto& b) { return p(a.first, a.second) > p(b.first, b.second); });
        for (std::size_t n = 0; n < k; ++n)
            lines.push_back({pairs[n].first, pairs[n].second, open_->contacts.truth(pairs[n].first, pairs[n].second) > 0.5f});
    }
    structure_->setContacts(std::move(lines));
    updateStructureValues();
}

void ProteinViews::selectPair(int i, int j)
{
    if (static_cast<std::size_t>(std::max(i, j)) >= queryColumns_.size())
        return;
    const int a = static_cast<int>(queryColumns_[static_cast<std::size_t>(i)]), b = static_cast<int>(queryColumns_[static_cast<std::size_t>(j)]);
    msa_->highlightColumns({a, b});
    msa_->showColumn(a);
    structure_->setHighlight({i, j});
}

} // namespace attn::kinds
