#pragma once
/// @file EhrTokens.h
/// The ehr_encoder family's configuration and how a patient's events become its tokens
/// (docs/model-format.md): [CLS] first, then every timed event in time order (ties in the order
/// given; static rows are not tokens), each with its code's id, its time since the first kept
/// event in units of time_scale_days, and its value standardised by the code's value_stats.
/// Beyond max_events the most recent events are kept and the rest counted, never cut silently.

#include "ehr/Event.h"
#include "model/ModelConfig.h"
#include "model/TokenAxis.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

namespace attn {

/// An ehr_encoder config.json.
struct EhrConfig {
    static constexpr int kPad = 0, kCls = 1, kUnk = 2; ///< Fixed ids of the special codes.

    ModelConfig encoder;            ///< d_model, heads, layers, ff, activation, norms, labels.
    std::vector<std::string> codes; ///< The vocabulary in id order: [PAD], [CLS], [UNK], then codes.
    int cveHidden = 0;              ///< k: the continuous value embeddings' hidden width.
    double timeScaleDays = 365.25;  ///< t is the time since the first event in these units.
    int maxEvents = 0;              ///< Event tokens at most ([CLS] not counted).
    std::map<std::string, std::array<double, 2>> valueStats; ///< code -> mean, std of its numbers.

    /// The id of a code, [UNK] when it is not in the vocabulary.
    int idOf(const std::string& code) const;
    /// Builds the code -> id index from `codes` (done by the loader).
    void indexCodes();

private:
    std::unordered_map<std::string, int> index_;
};

/// A patient's tokens, as the model takes them.
struct EhrTokens {
    std::vector<int> ids;          ///< [CLS] first.
    std::vector<float> time;       ///< t per token (0 for [CLS]).
    std::vector<float> value;      ///< z per token (0 where there is none).
    std::vector<float> hasValue;   ///< m per token: 1 when z is used.
    std::vector<std::size_t> source; ///< Per token, its event's index in the events given (kNoEvent for [CLS]).
    std::size_t timedEvents = 0;   ///< Timed events given.
    std::size_t dropped = 0;       ///< The earliest of them left out beyond max_events.
    int unknown = 0;               ///< Event tokens whose code is not in the vocabulary.
    std::int64_t origin = 0;       ///< The first kept event's time, seconds since 1970 UTC.

    static constexpr std::size_t kNoEvent = static_cast<std::size_t>(-1);
    /// Number of tokens ([CLS] included).
    int size() const { return static_cast<int>(ids.size()); }
};

/// The tokens of one patient's events (any order; static rows are skipped).
EhrTokens tokenizeEvents(const EhrConfig& config, const std::vector<Event>& events);

/// The message a run gives when events were left out ("" when none were).
std::string droppedEventsMessage(const EhrTokens& tokens, const EhrConfig& config);

/// The token axis of a run: the code as label, positions in days since the first kept event,
/// and tokens.tsv's columns time (YYYY-MM-DDTHH:MM:SSZ), value (the number, else the text) and
/// display.
TokenAxis ehrTokenAxis(const EhrTokens& tokens, const std::vector<Event>& events);

} // namespace attn
