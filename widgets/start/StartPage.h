#pragma once
/// @file StartPage.h
/// The page shown when nothing is loaded: what attnscope can open (each kind of data, and
/// model folders), and buttons to open a file, a folder or a demo.

#include <QStringList>
#include <QWidget>

namespace attn::widgets {

/// "No data loaded" page.
class StartPage : public QWidget {
    Q_OBJECT
public:
    /// Builds the page: `kinds` says what each kind of data opens (plain text), `families`
    /// names the model families, `demos` names the demos offered (short: they label buttons).
    StartPage(const QStringList& kinds, const QStringList& families, const QStringList& demos, QWidget* parent = nullptr);
    /// The text listing what can be opened (for tests and accessibility).
    QString openableText() const;

signals:
    /// The user asked to open a file.
    void openFileRequested();
    /// The user asked to open a folder (a model, or a kind's folder such as DICOM files).
    void openFolderRequested();
    /// The user asked for demo number `index` (in the order given).
    void demoRequested(int index);

private:
    QString openable_;
};

} // namespace attn::widgets
