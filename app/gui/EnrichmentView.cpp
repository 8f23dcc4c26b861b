#include "gui/EnrichmentView.h"

#include "common/ColourPainting.h"
#include "kinds/Kind.h"
#include "kinds/Workspace.h"
#include "util/Error.h"

#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QComboBox>
#include <QLineEdit>
#include <QSignalBlocker>
#include <QMouseEvent>
#include <QPainter>
#include <QProgressBar>
#include <QPushButton>

#include <algorithm>

namespace attn::app {
namespace {

constexpr qreal kLabel = 28;
constexpr qreal kLine = 18;
constexpr double kSignificant = 0.05; // q below it: marked

/// What a computation is of: the input (file, record, subject) and the annotations.
QString identity(const kinds::Workspace* w, const QString& annotations)
{
    const auto choice = w ? w->inputChoice() : std::nullopt;
    return choice ? QString::fromStdString(choice->input + "|" + choice->record + "|" + choice->subject) + "|" + annotations : QString();
}

int extent(const std::vector<HeadEnrichment>& heads, int HeadEnrichment::*member)
{
    int most = -1;
    for (const HeadEnrichment& h : heads)
        most = std::max(most, h.*member);
    return most + 1;
}

} // namespace

EnrichmentView::EnrichmentView(std::function<std::shared_ptr<const Model>()> model, QWidget* parent)
    : QWidget(parent), model_(std::move(model)), path_(new QLineEdit), motif_(new QLineEdit), marks_(new QComboBox), threshold_(new QDoubleSpinBox),
      compute_(new QPushButton(tr("Compute"))),
      cancel_(new QPushButton(tr("Cancel"))), progress_(new QProgressBar), controls_(new QWidget(this))
{
    setObjectName("enrichmentTab");
    path_->setObjectName("annotationsPath");
    path_->setPlaceholderText(tr("annotations: BED, residue list or structure, code-pair TSV, reference mask"));
    motif_->setObjectName("motif");
    motif_->setPlaceholderText(tr("or a DNA motif (IUPAC)"));
    motif_->setMaximumWidth(150);
    marks_->setObjectName("annotationMarks");
    marks_->setToolTip(tr("What the file marks"));
    marks_->setVisible(false);
    threshold_->setObjectName("enrichmentThreshold");
    threshold_->setRange(0.01, 0.99);
    threshold_->setSingleStep(0.05);
    threshold_->setValue(0.3);
    threshold_->setPrefix(tr("weights > "));
    threshold_->setToolTip(tr("A weight is confident above this (Vig et al.: 0.3)"));
    compute_->setObjectName("computeEnrichment");
    auto* browse = new QPushButton(tr("Browse…"));
    progress_->setMaximumWidth(110);
    auto* row = new QHBoxLayout(controls_);
    row->setContentsMargins(4, 2, 4, 2);
    for (QWidget* w : std::initializer_list<QWidget*>{path_, browse, marks_, motif_, threshold_, compute_, progress_, cancel_})
        row->addWidget(w);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString file = QFileDialog::getOpenFileName(this, tr("Annotations"));
        if (!file.isEmpty())
            path_->setText(file);
    });
    connect(path_, &QLineEdit::textChanged, this, &EnrichmentView::offerMarks);
    connect(marks_, &QComboBox::currentIndexChanged, this, [this] { update(); });
    connect(compute_, &QPushButton::clicked, this, &EnrichmentView::compute);
    connect(cancel_, &QPushButton::clicked, &job_, &widgets::BackgroundJob::cancel);
    connect(&job_, &widgets::BackgroundJob::progress, this, [this](int done, int total) {
        progress_->setRange(0, std::max(1, total));
        progress_->setValue(done);
    });
    connect(&job_, &widgets::BackgroundJob::succeeded, this, [this] {
        heads_ = *pending_;
        computedFor_ = pendingFor_;
        computedThreshold_ = pendingThreshold_;
    });
    connect(&job_, &widgets::BackgroundJob::stopped, this, &EnrichmentView::refresh);
    setMouseTracking(true);
    refresh();
}

void EnrichmentView::setWorkspace(kinds::Workspace* workspace)
{
    workspace_ = workspace;
    offerMarks();
    refresh();
}

void EnrichmentView::offerMarks()
{
    const QString kept = marks_->currentText();
    const QSignalBlocker block(marks_);
    marks_->clear();
    if (workspace_ && !path_->text().isEmpty())
        for (const kinds::AnnotationChoice& c : workspace_->kind().annotationChoices(path_->text().toStdString()))
            marks_->addItem(QString::fromStdString(c.label));
    marks_->setCurrentIndex(std::max(0, marks_->findText(kept)));
    marks_->setVisible(marks_->count() > 1);
    controls_->adjustSize();
    update();
}

QString EnrichmentView::annotationsIdentity() const
{
    return path_->text() + "|" + (marks_->count() > 1 ? marks_->currentText() : QString()) + "|" + motif_->text();
}

void EnrichmentView::compute()
{
    const auto model = model_();
    const auto choice = workspace_ ? workspace_->inputChoice() : std::nullopt;
    if (!model || !choice || job_.isRunning() || (path_->text().isEmpty() && motif_->text().isEmpty()) || !workspace_->kind().runs(*model))
        return;
    const kinds::Kind* kind = &workspace_->kind();
    const std::vector<kinds::AnnotationChoice> choices = kind->annotationChoices(path_->text().toStdString());
    kinds::AnnotationRequest request = choices.at(static_cast<std::size_t>(std::clamp(marks_->currentIndex(), 0, static_cast<int>(choices.size()) - 1))).request;
    request.motif = motif_->text().toStdString();
    if (path_->text().isEmpty())
        request.file.clear(), request.structure.clear();
    auto result = std::make_shared<std::vector<HeadEnrichment>>();
    pending_ = result;
    pendingFor_ = identity(workspace_, annotationsIdentity());
    EnrichmentOptions options;
    options.threshold = static_cast<float>(threshold_->value());
    pendingThreshold_ = options.threshold;
    job_.start([kind, model, choice = *choice, request, result, options](Progress& progress) {
        RunOptions run_options;
        run_options.progress = &progress;
        const auto run = kind->run(model, choice, run_options);
        TokenAnnotations a = kind->annotations(*run, request);
        const bool marks = !a.pairs.empty() || std::find(a.positions.begin(), a.positions.end(), 1) != a.positions.end();
        check<FormatError>(marks, (request.file + request.structure + request.motif) + ": marks nothing in the input");
        *result = headEnrichment({{&run->data.result->attention, std::move(a)}}, options, &progress);
    });
    refresh();
}

void EnrichmentView::refresh()
{
    const bool running = job_.isRunning();
    compute_->setEnabled(!running && workspace_ && workspace_->hasData() && model_() && workspace_->kind().runs(*model_()));
    cancel_->setVisible(running);
    progress_->setVisible(running);
    update();
}

QRectF EnrichmentView::canvas() const
{
    const qreal top = controls_->sizeHint().height() + 4;
    return QRectF(4, top, width() - 8, height() - top - 4);
}

void EnrichmentView::paintEvent(QPaintEvent*)
{
    controls_->setGeometry(0, 0, width(), controls_->sizeHint().height());
    QPainter p(this);
    p.fillRect(rect(), Qt::white);
    paintInto(p, canvas());
}

QRectF EnrichmentView::cellsIn(const QRectF& area, qreal* cell) const
{
    const int layers = std::max(1, extent(heads_, &HeadEnrichment::layer)), heads = std::max(1, extent(heads_, &HeadEnrichment::head));
    const QRectF grid = area.adjusted(0, 2 * kLine, 0, -kLine);
    *cell = std::max<qreal>(8, std::min({(grid.width() - kLabel - 4) / heads, (grid.height() - kLabel) / layers, 72.0}));
    return QRectF(grid.left() + kLabel, grid.top() + kLabel, *cell * heads, *cell * layers);
}

void EnrichmentView::paintInto(QPainter& painter, const QRectF& area) const
{
    const bool current = !heads_.empty() && computedFor_ == identity(workspace_, annotationsIdentity());
    if (!current) {
        painter.setPen(Qt::gray);
        painter.drawText(area, Qt::AlignCenter | Qt::TextWordWrap,
                         job_.isRunning() ? tr("Running the input again with the annotations, then 1,000 shuffles of them…")
                                          : tr("Name the ground truth above (a file, or a DNA motif) and press Compute: per head, the share of its "
                                               "confident attention (weights above 0.3) that lands on what it marks."));
        return;
    }
    painter.setPen(Qt::black);
    painter.drawText(QRectF(area.left(), area.top(), area.width(), 2 * kLine), Qt::AlignLeft | Qt::TextWordWrap,
                     tr("Share of each head's confident attention (weights > %1) on the marks; background %2. Outlined *: q < 0.05 "
                        "(Benjamini-Hochberg over 1,000 shuffles); grey: fewer than 100 confident weights, untested")
                         .arg(computedThreshold_).arg(heads_.front().background, 0, 'f', 4));
    qreal cell = 0;
    const QRectF cells = cellsIn(area, &cell);
    const ColourRange range{0.0, 1.0, ColourScale::Linear};
    const Colormap map = Colormap::byName("viridis");
    for (const HeadEnrichment& h : heads_) {
        const QRectF c(cells.left() + h.head * cell, cells.top() + h.layer * cell, cell, cell);
        const QRgb colour = h.p ? widgets::colourOf(map, range, h.share) : qRgb(225, 225, 225);
        painter.fillRect(c, QColor::fromRgb(colour));
        painter.setPen(widgets::textColourOn(colour));
        const bool significant = h.q && *h.q < kSignificant;
        painter.drawText(c, Qt::AlignCenter | Qt::TextWordWrap,
                         h.p ? QString::number(h.share, 'f', 2) + (significant ? "*" : "") : QString("n = %1").arg(h.count)); // untested: its confident weights
        if (significant) {
            painter.setPen(QPen(QColor(220, 30, 30), 3));
            painter.drawRect(c.adjusted(2, 2, -2, -2));
        }
    }
    painter.setPen(Qt::black);
    for (int l = 0; l < extent(heads_, &HeadEnrichment::layer); ++l)
        painter.drawText(QRectF(cells.left() - kLabel, cells.top() + l * cell, kLabel - 2, cell), Qt::AlignCenter, QString("L%1").arg(l));
    for (int h = 0; h < extent(heads_, &HeadEnrichment::head); ++h)
        painter.drawText(QRectF(cells.left() + h * cell, cells.top() - kLabel, cell, kLabel), Qt::AlignCenter, QString("H%1").arg(h));
}

void EnrichmentView::mouseMoveEvent(QMouseEvent* event)
{
    qreal cell = 0;
    const QRectF cells = cellsIn(canvas(), &cell);
    const QPointF pos = event->position();
    setToolTip(QString());
    if (heads_.empty() || !cells.contains(pos))
        return;
    const int layer = static_cast<int>((pos.y() - cells.top()) / cell), head = static_cast<int>((pos.x() - cells.left()) / cell);
    for (const HeadEnrichment& h : heads_)
        if (h.layer == layer && h.head == head)
            setToolTip(tr("Layer %1, head %2: share %3 (background %4), %5 confident weights, p %6, q %7")
                           .arg(layer).arg(head).arg(h.share, 0, 'g', 3).arg(h.background, 0, 'g', 3).arg(h.count)
                           .arg(h.p ? QString::number(*h.p, 'g', 3) : "-", h.q ? QString::number(*h.q, 'g', 3) : "-"));
}

void EnrichmentView::paintFigure(QPainter& painter, const QSize& size) const
{
    painter.fillRect(QRect(QPoint(0, 0), size), Qt::white);
    paintInto(painter, QRectF(8, 8, size.width() - 16, size.height() - 16));
}

widgets::FigureData EnrichmentView::figureData() const
{
    widgets::FigureData d;
    d.columns = {"layer", "head", "share", "background", "count", "p", "q"};
    for (const HeadEnrichment& h : heads_)
        d.rows.push_back({QString::number(h.layer), QString::number(h.head), QString::number(h.share, 'g', 9), QString::number(h.background, 'g', 9),
                          QString::number(h.count), h.p ? QString::number(*h.p, 'g', 9) : QString(), h.q ? QString::number(*h.q, 'g', 9) : QString()});
    return d;
}

QString EnrichmentView::figureTitle() const
{
    const QString marks = marks_->count() > 1 ? " (" + marks_->currentText() + ")" : QString();
    return widgets::titleFor("Enrichment on " + (path_->text().isEmpty() ? motif_->text() : QFileInfo(path_->text()).fileName() + marks),
                             workspace_ ? QFileInfo(workspace_->dataPath()).fileName() : QString());
}

} // namespace attn::app
