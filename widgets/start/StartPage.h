#pragma once
/// @file StartPage.h
/// The page shown when nothing is loaded: what attnscope can open, and buttons to open it.

#include <QWidget>

class QPushButton;

namespace attn::widgets {

/// "No data loaded" page with the kinds of files attnscope opens.
class StartPage : public QWidget {
    Q_OBJECT
public:
    /// Builds the page.
    explicit StartPage(QWidget* parent = nullptr);
    /// The text listing what can be opened (for tests and accessibility).
    QString openableText() const;

signals:
    /// The user asked to open a data file.
    void openDataRequested();
    /// The user asked to open a model directory.
    void openModelRequested();
    /// The user asked to open a folder of DICOM files.
    void openDicomRequested();
    /// The user asked for the CT demo.
    void openCtDemoRequested();

private:
    QString openable_;
};

} // namespace attn::widgets
