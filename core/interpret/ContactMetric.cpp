#include "interpret/ContactMetric.h"

#include "interpret/ContactEvaluation.h"
#include "interpret/Contacts.h"
#include "util/Error.h"

namespace attn {
namespace {

class ContactPrecisionMetric : public PredictionMetric {
public:
    explicit ContactPrecisionMetric(std::shared_ptr<const ContactTruth> truth) : truth_(std::move(truth)) {}
    std::string name() const override { return "drop of the contact head's long-range P@L against the structure"; }
    double change(const PredictionValues& base, const PredictionValues& changed) const override
    {
        return precision(base) - precision(changed);
    }
    std::map<std::string, double> details(const PredictionValues& base, const PredictionValues& changed) const override
    {
        const double before = precision(base), after = precision(changed);
        return {{"long_range_precision_original", before}, {"long_range_precision_changed", after}, {"delta_long_range_precision", after - before}};
    }
    std::map<std::string, double> summary(const PredictionValues& base) const override { return {{"long_range_precision", precision(base)}}; }
    std::string scoreName() const override { return "long-range P@L of the contact head"; }
    double score(const PredictionValues&, const PredictionValues& changed) const override { return precision(changed); }

private:
    double precision(const PredictionValues& values) const
    {
        const Index n = truth_->truth.rows();
        check<ShapeError>(static_cast<Index>(values.size()) == n * n, "the contact map does not cover the structure's residues");
        return contactPrecision(Eigen::Map<const Matrix>(values.data(), n, n), truth_->truth).longAtL();
    }

    std::shared_ptr<const ContactTruth> truth_;
};

} // namespace

std::unique_ptr<PredictionMetric> contactPrecisionMetric(std::shared_ptr<const ContactTruth> truth)
{
    return std::make_unique<ContactPrecisionMetric>(std::move(truth));
}

PredictionValues contactValues(const Matrix& overPositions, const ContactTruth& truth)
{
    const Matrix map = truth.queryPositions.empty() ? overPositions : inQueryNumbering(overPositions, truth.queryPositions);
    check<ShapeError>(map.rows() == truth.truth.rows(), "the model predicted contacts over " + std::to_string(map.rows())
                                                            + " residues, the structure has " + std::to_string(truth.truth.rows()));
    return {map.data(), map.data() + map.size()};
}

} // namespace attn
