//! Generic UI parts: the editors' field components and form, the modal dialog, and the two
//! editors built from them.

pub mod connection_editor;
pub mod dialog;
pub mod form;
pub mod widget_editor;

pub use connection_editor::{ConnectionEditor, new_connection_stub};
pub use dialog::Modal;
pub use widget_editor::WidgetEditor;
