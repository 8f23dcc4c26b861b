#pragma once
/// @file StartPageFactory.h
/// The start page filled from the kinds registry and the model family table.

namespace attn::widgets {
class StartPage;
}

namespace attn::app {

/// A start page that lists what every kind opens, the model families, and every kind's demo
/// (demoRequested(i) is the registry's kind i).
widgets::StartPage* startPageForKinds();

} // namespace attn::app
