#include "attention/HeadEdits.h"

#include "util/Error.h"

#include <algorithm>
#include <charconv>
#include <iterator>
#include <cmath>
#include <sstream>

namespace attn {
namespace {

int parseIndex(const std::string& text, const std::string& whole, const char* what)
{
    int value = -1;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    check(error == std::errc() && end == text.data() + text.size() && value >= 0,
          "--intervene " + whole + ": the " + what + " must be a whole number from 0, not \"" + text + "\"");
    return value;
}

float parsePositive(const std::string& text, const std::string& whole, const char* what)
{
    float value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    check(error == std::errc() && end == text.data() + text.size() && std::isfinite(value) && value > 0,
          "--intervene " + whole + ": " + what + " must be a positive number, not \"" + text + "\"");
    return value;
}

/// How each kind is named, written on the command line and described; `value` says how its value
/// follows the text (none, a number, a head).
struct KindText {
    HeadEditKind kind;
    const char* name;
    const char* spec;      ///< "T=" (then the value), "uniform", ...
    const char* described; ///< " T=" (then the value), " uniform", ...
    enum { None, Number, Head } value;
};

constexpr KindText kKinds[] = {
    {HeadEditKind::Temperature, "temperature", "T=", " T=", KindText::Number},
    {HeadEditKind::Uniform, "uniform", "uniform", " uniform", KindText::None},
    {HeadEditKind::CopyHead, "copy", "copy=", " as H", KindText::Head},
    {HeadEditKind::Zero, "zero", "zero", " zeroed", KindText::None},
    {HeadEditKind::Mean, "mean", "mean", " mean-ablated", KindText::None},
    {HeadEditKind::Scale, "scale", "scale=", " scaled x", KindText::Number},
};

const KindText& textOf(HeadEditKind kind)
{
    return *std::find_if(std::begin(kKinds), std::end(kKinds), [&](const KindText& k) { return k.kind == kind; });
}

/// The value as the kind writes it after its text.
void writeValue(std::ostream& s, const KindText& k, float value)
{
    if (k.value == KindText::Number)
        s << value;
    else if (k.value == KindText::Head)
        s << static_cast<int>(value);
}

/// KIND of "L,H:KIND".
void parseKind(const std::string& kind, const std::string& whole, HeadEdit& e)
{
    for (const KindText& k : kKinds) {
        const std::string text = k.spec;
        if (k.value == KindText::None ? kind != text : kind.rfind(text, 0) != 0)
            continue;
        e.kind = k.kind;
        if (k.value == KindText::Number)
            e.value = parsePositive(kind.substr(text.size()), whole, k.kind == HeadEditKind::Temperature ? "the temperature" : "the scale");
        else if (k.value == KindText::Head)
            e.value = static_cast<float>(parseIndex(kind.substr(text.size()), whole, "source head"));
        return;
    }
    throw Error("--intervene " + whole + ": unknown intervention \"" + kind + "\" (zero, mean, uniform, T=x, scale=x or copy=HEAD)");
}

std::size_t slot(int layer, AttentionPart part)
{
    return 2 * static_cast<std::size_t>(layer) + (part == AttentionPart::Column ? 1 : 0);
}

} // namespace

bool HeadEdit::onWeights() const
{
    return kind == HeadEditKind::Temperature || kind == HeadEditKind::Uniform || kind == HeadEditKind::CopyHead;
}

std::string headEditKindName(HeadEditKind kind)
{
    return textOf(kind).name;
}

std::string HeadEdit::describe() const
{
    std::ostringstream s; // not string concatenation: GCC 12 warns falsely (-Wrestrict) on "L" + to_string(...)
    s << 'L' << layer << (part == AttentionPart::Column ? " column H" : "H") << head << textOf(kind).described;
    writeValue(s, textOf(kind), value);
    return s.str();
}

std::string HeadEdit::spec() const
{
    std::ostringstream s;
    s << layer << ',' << head << (part == AttentionPart::Column ? ",column:" : ":") << textOf(kind).spec;
    writeValue(s, textOf(kind), value);
    return s.str();
}

HeadEdit parseHeadEdit(const std::string& text)
{
    const std::size_t colon = text.find(':');
    check(colon != std::string::npos, "--intervene " + text + ": expected LAYER,HEAD:KIND, e.g. 2,5:zero");
    std::vector<std::string> fields;
    std::stringstream where(text.substr(0, colon));
    for (std::string f; std::getline(where, f, ',');)
        fields.push_back(f);
    check(fields.size() == 2 || (fields.size() == 3 && fields[2] == "column"),
          "--intervene " + text + ": expected LAYER,HEAD:KIND or LAYER,HEAD,column:KIND");
    HeadEdit e;
    e.layer = parseIndex(fields[0], text, "layer");
    e.head = parseIndex(fields[1], text, "head");
    e.part = fields.size() == 3 ? AttentionPart::Column : AttentionPart::Main;
    parseKind(text.substr(colon + 1), text, e);
    return e;
}

Interventions::Interventions(std::vector<HeadEdit> edits) : edits_(std::move(edits))
{
    for (const HeadEdit& e : edits_) {
        const std::size_t s = slot(e.layer, e.part);
        if (layers_.size() <= s)
            layers_.resize(s + 1);
        LayerEdits& l = layers_[s];
        const auto h = static_cast<std::size_t>(e.head);
        if (l.copyFrom.size() <= h) {
            l.inverseTemperature.resize(h + 1, 1.0f);
            l.uniform.resize(h + 1, 0);
            l.copyFrom.resize(h + 1, -1);
            l.output.resize(h + 1);
        }
        const bool weightsTaken = l.inverseTemperature[h] != 1.0f || l.uniform[h] || l.copyFrom[h] >= 0;
        check(!(e.onWeights() ? weightsTaken : l.output[h].on),
              "--intervene " + e.spec() + ": that head's " + (e.onWeights() ? "attention" : "output") + " is already changed");
        if (e.kind == HeadEditKind::Temperature)
            l.inverseTemperature[h] = 1.0f / e.value;
        else if (e.kind == HeadEditKind::Uniform)
            l.uniform[h] = 1;
        else if (e.kind == HeadEditKind::CopyHead)
            l.copyFrom[h] = static_cast<int>(e.value);
        else
            l.output[h] = {true, e.kind, e.value};
        (e.onWeights() ? l.weights : l.outputs) = true;
    }
}

const LayerEdits* Interventions::layer(int layer, AttentionPart part) const
{
    const std::size_t s = slot(layer, part);
    return s < layers_.size() && (layers_[s].weights || layers_[s].outputs) ? &layers_[s] : nullptr;
}

void Interventions::checkFits(int layers, int heads, bool hasColumnAttention) const
{
    for (const HeadEdit& e : edits_) {
        const std::string what = "--intervene " + e.spec() + ": ";
        check(e.layer < layers, what + "the model has " + std::to_string(layers) + " layers (0 to " + std::to_string(layers - 1) + ")");
        check(e.head < heads, what + "the model has " + std::to_string(heads) + " heads per layer (0 to " + std::to_string(heads - 1) + ")");
        check(e.kind != HeadEditKind::CopyHead || static_cast<int>(e.value) < heads,
              what + "there is no head " + std::to_string(static_cast<int>(e.value)) + " to copy");
        check(e.part == AttentionPart::Main || hasColumnAttention, what + "the model has no column attention");
    }
}

std::string Interventions::describe() const
{
    std::string out;
    for (const HeadEdit& e : edits_)
        out += (out.empty() ? "" : ", ") + e.describe();
    return out;
}

void editLogits(MatrixRef scores, const LayerEdits& edits, int head)
{
    if (edits.uniformOf(head))
        scores.setZero();
    else if (edits.inverseTemperatureOf(head) != 1.0f)
        scores *= edits.inverseTemperatureOf(head);
}

RowVector meanOutput(const ConstMatrixRef& z, const std::vector<bool>& padding)
{
    RowVector sum = RowVector::Zero(z.cols());
    Index n = 0;
    for (Index r = 0; r < z.rows(); ++r)
        if (padding.empty() || !padding[static_cast<std::size_t>(r)]) {
            sum += z.row(r);
            ++n;
        }
    return n > 0 ? RowVector(sum / static_cast<float>(n)) : sum;
}

void applyOutputEdits(const LayerEdits& edits, MatrixRef z, int heads, const RowVector* means, const std::vector<bool>& padding)
{
    const Index dh = z.cols() / heads;
    RowVector own;
    for (int h = 0; h < static_cast<int>(edits.output.size()) && h < heads; ++h) {
        const LayerEdits::Output& e = edits.output[static_cast<std::size_t>(h)];
        if (!e.on)
            continue;
        auto zh = z.middleCols(h * dh, dh);
        if (e.kind == HeadEditKind::Zero) {
            zh.setZero();
        } else if (e.kind == HeadEditKind::Scale) {
            zh *= e.scale;
        } else {
            if (!means && own.size() == 0)
                own = meanOutput(z, padding);
            const RowVector& m = means ? *means : own;
            zh.rowwise() = m.segment(h * dh, dh);
        }
    }
}

} // namespace attn
