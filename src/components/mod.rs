//! Forms and other reusable pieces of the interface.

pub mod connection_editor;
pub mod form;
pub mod widget_editor;

pub use connection_editor::{ConnectionEditor, new_connection_stub};
pub use widget_editor::{WidgetEditor, new_widget_stub};
