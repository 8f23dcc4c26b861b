// attnscope-bench: timings for tools/bench.sh, one measurement per process so that the
// peak resident memory reported belongs to that measurement alone.
//   attnscope-bench forward MODEL_DIR [f32|f16] [repeats]   (MODEL_DIR/input.json holds the ids)
//   attnscope-bench gemm N [repeats]                         (Eigen float32 N x N x N product)
//   attnscope-bench products TOKENS D FF HEADS [gated] [repeats] (one layer's products alone: bench_products.cpp)
//   attnscope-bench dicom DIR [repeats]                      (scan a DICOM folder and load its largest series)
//   attnscope-bench ct MODEL DICOM_DIR [repeats] [whole]     (any CT model on the study: preprocessing, network; whole: and
//                                                            MONAI's sliding windows over the whole study)
//   attnscope-bench overlay MODEL_DIR NX NY NZ [repeats]     (CT rollout overlay onto a study of that size)
//   attnscope-bench protein|sequence MODEL_DIR INPUT [f32|f16] [repeats] [store dir] (msa_transformer on an alignment,
//   any SequenceModel (ESM, the Nucleotide Transformer, ProtBert, DNABERT-2) on its first record; with a store
//   directory, the attention store on disk there)
//   attnscope-bench importance MODEL_DIR [repeats] [zero|mean|uniform] (the head-importance grid against one forward:
//                                                            bench_importance.cpp)
//   attnscope-bench ehr-load | meds | meds-convert | ehr ...  (patient records: bench_ehr.cpp)

#include "dicom/DicomSeries.h"
#include "interpret/CtOverlay.h"
#include "model/VolumeModel.h"
#include "model/ct_encoder/CtModel.h"
#include "model/torch_encoder/EncoderModel.h"
#include "model/esm/EsmModel.h"
#include "model/ModelFamily.h"
#include "model/msa_transformer/MsaTransformer.h"
#include "msa/MsaReader.h"
#include "structure/QueryMapping.h"
#include "util/SystemInfo.h"

#include "BenchTiming.h"

#include <Eigen/Core>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iostream>
#include <string>


using namespace attn;
using namespace attn::bench;

namespace attn::bench {

/// FLOPs of an n x n x n product (2 per multiply-add).
double gemmFlops(Index n)
{
    return 2.0 * static_cast<double>(n) * static_cast<double>(n) * static_cast<double>(n);
}

/// Eigen's float32 rate on an n x n x n product, best of `repeats` after a cold one, in GFLOP/s.
double gemmRate(Index n, int repeats)
{
    const Matrix a = Matrix::Random(n, n), b = Matrix::Random(n, n);
    Matrix c(n, n);
    return gemmFlops(n) / timeRuns(repeats, [&] { c.noalias() = a * b; }).best / 1e9;
}

} // namespace attn::bench

namespace {

/// Matrix-multiply FLOPs of one forward pass (2 per multiply-add).
double forwardFlops(const ModelConfig& c, double l)
{
    const double d = c.dModel, ff = c.dimFeedforward;
    const double perLayer = 2 * l * d * 3 * d + 2 * 2 * l * l * d + 2 * l * d * d + 2 * 2 * l * d * ff;
    return c.nLayers * perLayer;
}

int forward(const std::string& dir, const std::string& store, int repeats)
{
    const auto model = loadModel(dir);
    std::ifstream in(dir + "/input.json");
    const auto ids = nlohmann::json::parse(in).at("ids").get<std::vector<int>>();
    RunOptions options;
    options.store.type = parseStoreType(store);
    const Timing t = timeRuns(repeats, [&] { (void)model->run(ids, {}, options); });
    const double seconds = t.best;
    const double flops = forwardFlops(model->config(), static_cast<double>(ids.size()));
    std::cout << nlohmann::json{{"impl", "attnscope"}, {"len", ids.size()}, {"store", store}, {"threads", threads()},
                                {"seconds", seconds}, {"cold_seconds", t.cold}, {"gflop", flops / 1e9}, {"gflops", flops / seconds / 1e9},
                                {"peak_rss_mb", static_cast<double>(peakResidentBytes()) / (1 << 20)}}
                     .dump()
              << "\n";
    return 0;
}

int dicom(const std::string& dir, int repeats)
{
    std::size_t voxels = 0;
    const Timing t = timeRuns(repeats, [&] {
        const DicomScan scan = scanDicomFolder(dir);
        voxels = loadDicomSeries(scan.series.front()).volume.values.size();
    });
    std::cout << nlohmann::json{{"impl", "attnscope_dicom"}, {"dir", dir}, {"voxels", voxels}, {"seconds", t.best},
                                {"cold_seconds", t.cold}, {"peak_rss_mb", static_cast<double>(peakResidentBytes()) / (1 << 20)}}
                     .dump()
              << "\n";
    return 0;
}

/// A CT model (any VolumeModel) on a study: preprocessing, the network with every head's attention
/// recorded, and a segmenting model's labels; with `whole`, also MONAI's sliding windows over the whole
/// study. After each timed run, untimed, Eigen's GEMM rate on 2048^3.
int ctModel(const std::string& modelDir, const std::string& study, int repeats, bool whole)
{
    const auto model = modelAs<VolumeModel>(loadModelPath(modelDir), modelDir, "a CT model");
    const Volume volume = loadDicomSeries(scanDicomFolder(study).series.front()).volume;
    const std::size_t before = residentBytes(); // the model and the study loaded, nothing run yet
    const RegionRequest request{std::nullopt, whole};
    std::vector<float> logits;
    std::vector<std::size_t> labels;
    double gemm = 0;
    const Timing t = timeRuns(
        repeats,
        [&] {
            const VolumeRun r = model->runInput(model->prepareInput(volume, request, nullptr), request, {});
            logits.assign(r.result.logits.data(), r.result.logits.data() + r.result.logits.size());
            labels.clear();
            for (float v : r.segmentation ? r.segmentation->labels.values : std::vector<float>{}) {
                labels.resize(std::max(labels.size(), static_cast<std::size_t>(v) + 1));
                ++labels[static_cast<std::size_t>(v)];
            }
        },
        [&] { gemm = std::max(gemm, gemmRate(2048, 1)); });
    const auto mb = [](std::size_t bytes) { return static_cast<double>(bytes) / (1 << 20); };
    const PatchLayout layout = model->patchLayout();
    std::cout << nlohmann::json{{"impl", "attnscope_ct_model"}, {"family", model->family()}, {"model", modelDir}, {"study", study},
                                {"sliding_window", whole}, {"tokens", layout.tokens() + layout.firstImageToken}, {"seconds", t.best},
                                {"cold_seconds", t.cold}, {"threads", threads()}, {"logits", logits}, {"label_counts", labels},
                                {"gemm_gflops_between_runs", gemm}, {"resident_before_mb", mb(before)},
                                {"peak_rss_mb", mb(peakResidentBytes())}}
                     .dump()
              << "\n";
    return 0;
}

int overlay(const std::string& modelDir, const std::array<int, 3>& size, int repeats)
{
    const auto model = loadCtModel(modelDir);
    Volume study; // a uniform study of that size, 0.7 x 0.7 x 1 mm: the cost does not depend on the values
    study.geometry.size = size;
    study.geometry.spacing = Eigen::Vector3d(0.7, 0.7, 1.0);
    study.values.assign(study.geometry.voxels(), 40.0f);
    VolumeGeometry input;
    const RunResult run = model->run(model->prepare(study, &input), {});
    const Timing t = timeRuns(repeats, [&] { (void)ctOverlay(*model, run, OverlaySource{}, input, study.geometry); });
    std::cout << nlohmann::json{{"impl", "attnscope_ct_overlay"}, {"model", modelDir}, {"study_voxels", size},
                                {"seconds", t.best}, {"cold_seconds", t.cold}, {"threads", threads()},
                                {"peak_rss_mb", static_cast<double>(peakResidentBytes()) / (1 << 20)}}
                     .dump()
              << "\n";
    return 0;
}

/// A protein model's forward pass with every head's attention recorded (row and column attention
/// for the MSA Transformer), logits and contacts: what `attnscope-cli run` computes. After each
/// timed run (and before the first), untimed, Eigen's GEMM rate on 2048^3: the machine's rate at the
/// time of each run (on a shared machine it drifts by a factor of two within minutes).
int protein(const std::string& dir, const std::string& input, const std::string& store, int repeats,
            const std::string& storeDir)
{
    const auto model = loadModelPath(dir);
    const Msa msa = readMsa(input);
    RunOptions options;
    options.store.type = parseStoreType(store);
    options.store.diskDirectory = storeDir;
    const auto* axial = dynamic_cast<const MsaTransformer*>(model.get());
    const auto* single = dynamic_cast<const SequenceModel*>(model.get());
    const std::vector<int> tokens = axial ? axial->tokenize(msa) : single->encode(ungapped(msa.rows.front().residues)).ids;
    const auto rows = static_cast<Index>(axial ? msa.sequences() : 1);
    const std::size_t before = residentBytes();
    double checksum = 0, logits = 0;
    std::vector<double> gemms; // before the first timed run, then after each
    const Timing t = timeRuns(
        repeats,
        [&] {
            const SequenceRun run = axial ? axial->run(tokens, rows, options) : single->run(tokens, options);
            checksum = run.contacts.cast<double>().sum(); // a float sum of 10^6 entries would be off by 5e-4
            logits = run.logits.cast<double>().sum();
        },
        [&] { gemms.push_back(gemmRate(2048, 1)); });
    const auto mb = [](std::size_t bytes) { return static_cast<double>(bytes) / (1 << 20); };
    std::cout << nlohmann::json{{"impl", "attnscope"}, {"family", model->family()}, {"rows", rows},
                                {"columns", axial ? msa.columns() : ungapped(msa.rows.front().residues).size()}, {"store", store},
                                {"store_on_disk", !storeDir.empty()},
                                {"threads", threads()}, {"seconds", t.best}, {"cold_seconds", t.cold}, {"contacts_sum", checksum}, {"logits_sum", logits},
                                {"tokens", tokens.size()}, {"runs_seconds", t.runs}, {"gemm_gflops_around_runs", gemms},
                                {"gemm_gflops_between_runs", *std::max_element(gemms.begin(), gemms.end())},
                                {"resident_before_mb", mb(before)}, {"peak_rss_mb", mb(peakResidentBytes())}}
                     .dump()
              << "\n";
    return 0;
}

int gemm(Index n, int repeats)
{
    const double rate = gemmRate(n, repeats);
    std::cout << nlohmann::json{{"impl", "eigen_gemm"}, {"n", n}, {"threads", threads()}, {"seconds", gemmFlops(n) / rate / 1e9},
                                {"gflops", rate}}
                     .dump()
              << "\n";
    return 0;
}

} // namespace

int main(int argc, char** argv)
{
    const std::string usage = "usage: attnscope-bench forward MODEL_DIR [f32|f16] [repeats] | gemm N [repeats] | products TOKENS D FF HEADS [gated] [repeats] | dicom DIR [repeats] | ct MODEL DICOM_DIR [repeats] [whole] | overlay MODEL_DIR NX NY NZ [repeats] | protein MODEL_DIR INPUT [f32|f16] [repeats] [store dir] | ehr-load INPUT [repeats] | meds DIR [repeats] | meds-convert CSV_DIR OUT | ehr MODEL_DIR INPUT [f32|f16] [repeats] | importance MODEL_DIR [repeats] [zero|mean|uniform]\n";
    if (argc < 3) {
        std::cerr << usage;
        return 2;
    }
    const std::string mode = argv[1];
    try {
        if (mode == "forward")
            return forward(argv[2], argc > 3 ? argv[3] : "f32", argc > 4 ? std::stoi(argv[4]) : 3);
        if (mode == "ct" && argc > 3)
            return ctModel(argv[2], argv[3], argc > 4 ? std::stoi(argv[4]) : 5, argc > 5 && std::string(argv[5]) == "whole");
        if (mode == "overlay" && argc > 5)
            return overlay(argv[2], {std::stoi(argv[3]), std::stoi(argv[4]), std::stoi(argv[5])}, argc > 6 ? std::stoi(argv[6]) : 3);
        if ((mode == "protein" || mode == "sequence") && argc > 3)
            return protein(argv[2], argv[3], argc > 4 ? argv[4] : "f16", argc > 5 ? std::stoi(argv[5]) : 2, argc > 6 ? argv[6] : "");
        if (mode == "dicom")
            return dicom(argv[2], argc > 3 ? std::stoi(argv[3]) : 5);
        if (mode.rfind("ehr", 0) == 0 || mode.rfind("meds", 0) == 0)
            return ehrBench(mode, argc, argv);
        if (mode == "importance")
            return importanceBench(argv[2], argc > 3 ? std::stoi(argv[3]) : 3, argc > 4 ? argv[4] : "zero");
        if (mode == "products" && argc > 5)
            return productsBench(argc, argv);
        if (mode == "gemm")
            return gemm(std::stol(argv[2]), argc > 3 ? std::stoi(argv[3]) : 3);
    } catch (const std::exception& e) {
        std::cerr << "attnscope-bench: " << e.what() << "\n";
        return 3;
    }
    std::cerr << usage;
    return 2;
}
