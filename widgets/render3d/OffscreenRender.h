#pragma once
/// @file OffscreenRender.h
/// What every offscreen VTK scene of the widgets shares (VolumeScene, StructureScene): its own
/// X connection, opened patiently, and the rendered pixels read back as RGB rows from the top.
/// Internal to render3d/: only forward declarations of VTK and Xlib types.

#include <vector>

class vtkRenderWindow;
struct _XDisplay;

namespace attn::widgets {

/// Opens the X display named by DISPLAY, trying again for a few seconds: Xlib gives up at once
/// when a busy X server's listen queue is full (seen in CI: two test processes and a fuzzer on 2
/// cores under Xvfb), and VTK aborts the process when its own attempt fails. Null when it
/// cannot.
_XDisplay* openDisplayPatiently();

/// A render window's own X connection, closed after the window (which does not close a
/// connection it was given): declare it before the window.
struct DisplayConnection {
    _XDisplay* display = openDisplayPatiently();
    DisplayConnection() = default;
    DisplayConnection(const DisplayConnection&) = delete;
    DisplayConnection& operator=(const DisplayConnection&) = delete;
    ~DisplayConnection();
};

/// Makes the window offscreen on the connection (when it opened).
void useOffscreen(vtkRenderWindow* window, const DisplayConnection& connection);

/// Renders the window and returns its width x height RGB pixels, rows from the top; sets
/// width and height to the image's.
std::vector<unsigned char> renderRgb(vtkRenderWindow* window, int& width, int& height);

} // namespace attn::widgets
