#include "export/ExportFile.h"

#include "util/Error.h"
#include "util/Progress.h"

namespace attn::widgets {

ExportFile::ExportFile(const QString& path, const QString& what, const Progress& progress)
    : file_(path), what_(what), progress_(progress)
{
}

void ExportFile::openOrThrow()
{
    if (!file_.open(QIODevice::WriteOnly))
        fail(file_.errorString());
    QIODevice::open(QIODevice::WriteOnly);
}

void ExportFile::throwIfCancelled() const
{
    if (cancelled_ || progress_.cancelled())
        throw Cancelled{};
}

void ExportFile::commitOrThrow()
{
    throwIfCancelled();
    close();
    if (!file_.commit())
        fail(file_.errorString());
}

qint64 ExportFile::readData(char*, qint64)
{
    return -1;
}

qint64 ExportFile::writeData(const char* data, qint64 size)
{
    if (cancelled_ || progress_.cancelled()) {
        cancelled_ = true;
        file_.cancelWriting();
        return -1;
    }
    return file_.write(data, size);
}

void ExportFile::fail(const QString& problem) const
{
    throw IoError(file_.fileName().toStdString() + ": cannot write " + what_.toStdString() + " (" +
                  problem.toStdString() + ")");
}

} // namespace attn::widgets
