#include "render3d/OffscreenRender.h"

#include <vtkImageData.h>
#include <vtkNew.h>
#include <vtkRenderWindow.h>
#include <vtkWindowToImageFilter.h>

#include <X11/Xlib.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <thread>

namespace attn::widgets {

_XDisplay* openDisplayPatiently()
{
    const char* name = std::getenv("DISPLAY");
    if (!name || !*name)
        return nullptr;
    for (int attempt = 0; attempt < 40; ++attempt) {
        if (Display* display = XOpenDisplay(name))
            return display;
        std::this_thread::sleep_for(std::chrono::milliseconds(25 * std::min(attempt + 1, 8)));
    }
    return nullptr;
}

DisplayConnection::~DisplayConnection()
{
    if (display)
        XCloseDisplay(display);
}

void useOffscreen(vtkRenderWindow* window, const DisplayConnection& connection)
{
    if (connection.display)
        window->SetDisplayId(connection.display);
    window->SetOffScreenRendering(1);
}

std::vector<unsigned char> renderRgb(vtkRenderWindow* window, int& width, int& height)
{
    window->Render();
    vtkNew<vtkWindowToImageFilter> grab;
    grab->SetInput(window);
    grab->SetInputBufferTypeToRGB();
    grab->ReadFrontBufferOff();
    grab->Update();
    vtkImageData* out = grab->GetOutput();
    int dims[3];
    out->GetDimensions(dims);
    const auto* pixels = static_cast<const unsigned char*>(out->GetScalarPointer());
    const auto rowBytes = static_cast<std::size_t>(dims[0]) * 3;
    std::vector<unsigned char> rgb(rowBytes * static_cast<std::size_t>(dims[1]));
    for (int y = 0; y < dims[1]; ++y) // VTK rows go bottom-up
        std::copy_n(pixels + static_cast<std::size_t>(dims[1] - 1 - y) * rowBytes, rowBytes,
                    rgb.begin() + static_cast<std::ptrdiff_t>(static_cast<std::size_t>(y) * rowBytes));
    width = dims[0];
    height = dims[1];
    return rgb;
}

} // namespace attn::widgets
