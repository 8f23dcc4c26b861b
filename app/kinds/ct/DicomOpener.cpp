#include "kinds/ct/DicomOpener.h"

#include "kinds/ct/CtKind.h"

#include "util/Error.h"

#include <QFileInfo>
#include <QInputDialog>

namespace attn::kinds {

QString seriesLabel(const DicomSeriesInfo& s)
{
    return QString("%1  %2  %3 x %4 x %5  %6")
        .arg(QString::fromStdString(s.description.empty() ? s.uid : s.description), QString::fromStdString(s.modality))
        .arg(s.columns)
        .arg(s.rows)
        .arg(s.images)
        .arg(QString::fromStdString(s.studyDate));
}

DicomOpener::DicomOpener(QObject* parent) : QObject(parent)
{
    chooser_ = [](const std::vector<DicomSeriesInfo>& series) {
        QStringList items;
        for (const auto& s : series)
            items << seriesLabel(s);
        bool ok = false;
        const QString chosen = QInputDialog::getItem(nullptr, QObject::tr("Choose a series"),
                                                     QObject::tr("This folder holds several series:"), items, 0, false, &ok);
        return ok ? static_cast<int>(items.indexOf(chosen)) : -1;
    };
    connect(&job_, &BackgroundJob::succeeded, this, [this] {
        if (stage_ == Stage::Scanning)
            onScanned();
        else if (stage_ == Stage::Loading)
            emit loaded(*study_);
    });
    connect(&job_, &BackgroundJob::failed, this, &DicomOpener::failed);
}

void DicomOpener::open(const QString& folder)
{
    folder_ = folder;
    auto scan = std::make_shared<DicomScan>();
    stage_ = Stage::Scanning;
    const std::string path = folder.toStdString();
    job_.start([scan, path](Progress& progress) { *scan = scanDicomFolder(path, &progress); });
    scan_ = scan;
}

void DicomOpener::onScanned()
{
    stage_ = Stage::Idle;
    if (scan_->series.empty()) {
        emit failed(folder_ + ": no DICOM image series found"
                    + (scan_->skipped.empty() ? QString() : " (" + QString::fromStdString(scan_->skipped.front()) + ", ...)"));
        return;
    }
    int index = 0;
    if (scan_->series.size() > 1 && (index = chooser_(scan_->series)) < 0)
        return; // the user cancelled
    load(scan_->series[static_cast<std::size_t>(index)]);
}

void DicomOpener::load(const DicomSeriesInfo& series)
{
    auto study = std::make_shared<LoadedStudy>();
    const QString folder = folder_;
    auto skipped = scan_->skipped;
    if (scan_->plainFiles > 0) // counted once, not listed: text, images and PDFs beside the series
        skipped.push_back(std::to_string(scan_->plainFiles) + (scan_->plainFiles == 1 ? " file that is" : " files that are")
                          + " not DICOM (text, an image or a PDF) skipped");
    const QString index = scan_->dicomDir.empty() ? QString() : QString::fromStdString(scan_->dicomDir.string());
    stage_ = Stage::Loading;
    job_.start([series, study, folder, skipped, index](Progress& progress) {
        MemoryPlan plan("loading " + (series.description.empty() ? series.uid : series.description));
        planStudy(plan, series);
        plan.check(0); // half of this machine's memory, before any pixel is decoded
        DicomVolume v = loadDicomSeries(series, &progress);
        const auto& g = v.volume.geometry;
        study->seriesUid = QString::fromStdString(series.uid);
        study->frameOfReferenceUid = QString::fromStdString(series.files.front().frameOfReferenceUid);
        study->name = QString::fromStdString(series.description.empty() ? series.uid : series.description) + " - "
            + QFileInfo(folder).fileName();
        study->detailsHtml = QString("<b>%1</b><br>%2, %3, patient %4<br>%5 x %6 x %7 voxels, %8 x %9 x %10 mm")
                                 .arg(QString::fromStdString(series.description).toHtmlEscaped(),
                                      QString::fromStdString(series.modality), QString::fromStdString(series.studyDate),
                                      QString::fromStdString(series.patientName).toHtmlEscaped())
                                 .arg(g.size[0]).arg(g.size[1]).arg(g.size[2])
                                 .arg(g.spacing.x(), 0, 'f', 3).arg(g.spacing.y(), 0, 'f', 3).arg(g.spacing.z(), 0, 'f', 3)
            + (index.isEmpty() ? QString() : "<br>files listed in " + index.toHtmlEscaped());
        study->warnings = v.warnings;
        study->warnings.insert(study->warnings.end(), skipped.begin(), skipped.end());
        study->volume = std::make_shared<const Volume>(std::move(v.volume));
    });
    study_ = study;
}

} // namespace attn::kinds
