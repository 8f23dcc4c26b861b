#include "render3d/StructureScene.h"

#include "render3d/OffscreenRender.h"

#include <vtkActor.h>
#include <vtkCamera.h>
#include <vtkCellArray.h>
#include <vtkCellData.h>
#include <vtkNew.h>
#include <vtkPointData.h>
#include <vtkPoints.h>
#include <vtkPolyData.h>
#include <vtkPolyDataMapper.h>
#include <vtkProperty.h>
#include <vtkRenderWindow.h>
#include <vtkRenderer.h>
#include <vtkSphereSource.h>
#include <vtkTubeFilter.h>
#include <vtkUnsignedCharArray.h>

#include <algorithm>

namespace attn::widgets {

struct StructureScene::Impl {
    DisplayConnection connection; ///< Declared first: destroyed after the window that uses it.
    vtkNew<vtkRenderWindow> window;
    vtkNew<vtkRenderer> renderer;
    std::vector<std::optional<Eigen::Vector3d>> ca;
    std::vector<float> values;
    Colormap map = Colormap::byName("viridis");
    std::vector<ContactLine> contacts;
    std::vector<int> highlight;
    bool framed = false;
    int width = 0, height = 0;
};

namespace {

vtkNew<vtkUnsignedCharArray> colours(vtkIdType n)
{
    vtkNew<vtkUnsignedCharArray> c;
    c->SetNumberOfComponents(3);
    c->SetNumberOfTuples(n);
    c->SetName("colours");
    return c;
}

/// The trace as polylines through the residues with coordinates, a colour per point.
vtkNew<vtkPolyData> tracePolyData(const std::vector<std::optional<Eigen::Vector3d>>& ca,
                                  const std::vector<float>& values, const Colormap& map)
{
    vtkNew<vtkPoints> points;
    vtkNew<vtkCellArray> lines;
    auto rgb = colours(0);
    std::vector<vtkIdType> segment;
    const auto flush = [&] {
        if (segment.size() >= 2)
            lines->InsertNextCell(static_cast<vtkIdType>(segment.size()), segment.data());
        segment.clear();
    };
    for (std::size_t r = 0; r < ca.size(); ++r) {
        if (!ca[r]) {
            flush();
            continue;
        }
        segment.push_back(points->InsertNextPoint(ca[r]->x(), ca[r]->y(), ca[r]->z()));
        unsigned char c[3] = {170, 170, 170};
        if (r < values.size()) {
            const Rgb v = map.at(std::clamp(static_cast<double>(values[r]), 0.0, 1.0));
            c[0] = v.r, c[1] = v.g, c[2] = v.b;
        }
        rgb->InsertNextTypedTuple(c);
    }
    flush();
    vtkNew<vtkPolyData> poly;
    poly->SetPoints(points);
    poly->SetLines(lines);
    poly->GetPointData()->SetScalars(rgb);
    return poly;
}

void addActor(vtkRenderer* renderer, vtkPolyDataMapper* mapper, double lineWidth = 1.0)
{
    vtkNew<vtkActor> actor;
    actor->SetMapper(mapper);
    actor->GetProperty()->SetLineWidth(static_cast<float>(lineWidth));
    renderer->AddActor(actor);
}

} // namespace

StructureScene::StructureScene(int width, int height) : impl_(std::make_unique<Impl>())
{
    useOffscreen(impl_->window, impl_->connection);
    impl_->window->AddRenderer(impl_->renderer);
    impl_->renderer->SetBackground(1.0, 1.0, 1.0);
    resize(width, height);
}

StructureScene::~StructureScene() = default;

void StructureScene::setTrace(std::vector<std::optional<Eigen::Vector3d>> ca)
{
    impl_->ca = std::move(ca);
    impl_->framed = false;
    rebuild();
}

void StructureScene::setValues(std::vector<float> values, const Colormap& map)
{
    impl_->values = std::move(values);
    impl_->map = map;
    rebuild();
}

void StructureScene::setContacts(std::vector<ContactLine> contacts)
{
    impl_->contacts = std::move(contacts);
    rebuild();
}

void StructureScene::setHighlight(std::vector<int> residues)
{
    impl_->highlight = std::move(residues);
    rebuild();
}

namespace {

using Trace = std::vector<std::optional<Eigen::Vector3d>>;

void addTrace(vtkRenderer* renderer, const Trace& ca, const std::vector<float>& values, const Colormap& map)
{
    vtkNew<vtkTubeFilter> tube;
    tube->SetInputData(tracePolyData(ca, values, map));
    tube->SetRadius(0.7);
    tube->SetNumberOfSides(12);
    tube->CappingOn();
    vtkNew<vtkPolyDataMapper> traceMapper;
    traceMapper->SetInputConnection(tube->GetOutputPort());
    traceMapper->SetColorModeToDirectScalars();
    traceMapper->SetScalarModeToUsePointData();
    addActor(renderer, traceMapper);
}

/// True if residue r has a Calpha in the trace.
bool placed(const Trace& ca, int r)
{
    return r >= 0 && static_cast<std::size_t>(r) < ca.size() && ca[static_cast<std::size_t>(r)];
}

void addContactLines(vtkRenderer* renderer, const Trace& ca, const std::vector<ContactLine>& contacts)
{
    vtkNew<vtkPoints> points;
    vtkNew<vtkCellArray> lines;
    auto rgb = colours(0);
    for (const ContactLine& c : contacts) {
        if (!placed(ca, c.i) || !placed(ca, c.j))
            continue;
        const Eigen::Vector3d& a = *ca[static_cast<std::size_t>(c.i)];
        const Eigen::Vector3d& b = *ca[static_cast<std::size_t>(c.j)];
        const vtkIdType ids[2] = {points->InsertNextPoint(a.x(), a.y(), a.z()), points->InsertNextPoint(b.x(), b.y(), b.z())};
        lines->InsertNextCell(2, ids);
        const unsigned char green[3] = {20, 160, 40}, red[3] = {220, 30, 30};
        rgb->InsertNextTypedTuple(c.true_ ? green : red);
    }
    vtkNew<vtkPolyData> contactLines;
    contactLines->SetPoints(points);
    contactLines->SetLines(lines);
    contactLines->GetCellData()->SetScalars(rgb);
    vtkNew<vtkPolyDataMapper> lineMapper;
    lineMapper->SetInputData(contactLines);
    lineMapper->SetColorModeToDirectScalars();
    lineMapper->SetScalarModeToUseCellData();
    addActor(renderer, lineMapper, 2.5);
}

void addHighlights(vtkRenderer* renderer, const Trace& ca, const std::vector<int>& residues)
{
    for (int r : residues) {
        if (!placed(ca, r))
            continue;
        vtkNew<vtkSphereSource> sphere;
        sphere->SetCenter(ca[static_cast<std::size_t>(r)]->data());
        sphere->SetRadius(1.6);
        sphere->SetThetaResolution(20);
        sphere->SetPhiResolution(20);
        vtkNew<vtkPolyDataMapper> m;
        m->SetInputConnection(sphere->GetOutputPort());
        vtkNew<vtkActor> actor;
        actor->SetMapper(m);
        actor->GetProperty()->SetColor(0.95, 0.6, 0.0);
        renderer->AddActor(actor);
    }
}

} // namespace

void StructureScene::rebuild()
{
    vtkRenderer* renderer = impl_->renderer;
    renderer->RemoveAllViewProps();
    addTrace(renderer, impl_->ca, impl_->values, impl_->map);
    addContactLines(renderer, impl_->ca, impl_->contacts);
    addHighlights(renderer, impl_->ca, impl_->highlight);
    if (!impl_->framed) {
        resetCamera();
        impl_->framed = true;
    }
}

void StructureScene::rotate(double azimuth, double elevation)
{
    vtkCamera* c = impl_->renderer->GetActiveCamera();
    c->Azimuth(azimuth);
    c->Elevation(elevation);
    c->OrthogonalizeViewUp();
    impl_->renderer->ResetCameraClippingRange();
}

void StructureScene::zoom(double factor)
{
    impl_->renderer->GetActiveCamera()->Zoom(factor);
}

void StructureScene::resetCamera()
{
    vtkCamera* c = impl_->renderer->GetActiveCamera();
    c->SetFocalPoint(0, 0, 0);
    c->SetPosition(0, 0, 1);
    c->SetViewUp(0, 1, 0);
    impl_->renderer->ResetCamera();
    c->Zoom(1.3);
}

void StructureScene::resize(int width, int height)
{
    impl_->width = std::max(16, width);
    impl_->height = std::max(16, height);
    impl_->window->SetSize(impl_->width, impl_->height);
}

std::vector<unsigned char> StructureScene::render()
{
    return renderRgb(impl_->window, impl_->width, impl_->height);
}

int StructureScene::width() const
{
    return impl_->width;
}

int StructureScene::height() const
{
    return impl_->height;
}

} // namespace attn::widgets
