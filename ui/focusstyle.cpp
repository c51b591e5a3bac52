#include "focusstyle.h"

#include <QApplication>
#include <QPainter>
#include <QProxyStyle>
#include <QStyleFactory>
#include <QStyleOption>

namespace syncdesk::ui {

namespace {

class FocusRingStyle final : public QProxyStyle
{
public:
    using QProxyStyle::QProxyStyle;

    void drawPrimitive(PrimitiveElement element, const QStyleOption *option, QPainter *painter,
                       const QWidget *widget) const override
    {
        QProxyStyle::drawPrimitive(element, option, painter, widget);
        if (element == PE_PanelButtonCommand)
            drawRing(option, painter);
    }

    void drawComplexControl(ComplexControl control, const QStyleOptionComplex *option,
                            QPainter *painter, const QWidget *widget) const override
    {
        QProxyStyle::drawComplexControl(control, option, painter, widget);
        if (control == CC_ToolButton)
            drawRing(option, painter);
    }

private:
    static void drawRing(const QStyleOption *option, QPainter *painter)
    {
        if (!(option->state & State_HasFocus) || !(option->state & State_Enabled))
            return;
        painter->save();
        painter->setRenderHint(QPainter::Antialiasing);
        painter->setPen(QPen(option->palette.color(QPalette::Highlight), 2));
        painter->setBrush(Qt::NoBrush);
        painter->drawRoundedRect(QRectF(option->rect).adjusted(2, 2, -2, -2), 2, 2);
        painter->restore();
    }
};

} // namespace

QStyle *makeFocusVisible()
{
    QStyle *current = QApplication::style();
    if (dynamic_cast<FocusRingStyle *>(current)
        || current->name().compare(u"fusion", Qt::CaseInsensitive) != 0)
        return current;
    QApplication::setStyle(new FocusRingStyle(QStyleFactory::create(QStringLiteral("Fusion"))));
    return QApplication::style();
}

} // namespace syncdesk::ui
