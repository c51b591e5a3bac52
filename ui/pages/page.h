#pragma once

#include <QWidget>

namespace syncdesk::ui {

class AppContext;

// A page of the main window's sidebar.
class Page : public QWidget
{
    Q_OBJECT
public:
    Page(AppContext *context, QWidget *parent = nullptr)
        : QWidget(parent)
        , m_context(context)
    { }
    virtual QString pageId() const = 0;
    virtual QString title() const = 0;
    // F5: reload what the page shows from the catalog or the service.
    virtual void refresh() { }
    // Delete: remove the selected item, when the page has such an action.
    virtual void deleteSelected() { }

protected:
    AppContext *context() const { return m_context; }

private:
    AppContext *m_context;
};

} // namespace syncdesk::ui
