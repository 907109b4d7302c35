Attribute VB_Name = "SalesbookRibbon"
' Ribbon callbacks of the salesbook add-in (the tab defined in customUI.xml).
' To add a command: one <button> in customUI.xml, one Sub below (copy one, change the
' Sub name and the Python function), one function in salesbook/excel.py.
' Every callback makes sure a workbook is open, then hands over to Python, which shows
' every further message. This file stays ASCII: Chinese text is built with ChrW so it
' reads the same whatever the PC's ANSI code page is.
Option Explicit

Public Sub SalesbookValidate(control As IRibbonControl)
    If Not WorkbookIsOpen() Then Exit Sub
    RunPython "import salesbook.excel as sb; sb.validate()"
End Sub

Public Sub SalesbookAssign(control As IRibbonControl)
    If Not WorkbookIsOpen() Then Exit Sub
    RunPython "import salesbook.excel as sb; sb.assign()"
End Sub

Public Sub SalesbookCommission(control As IRibbonControl)
    If Not WorkbookIsOpen() Then Exit Sub
    RunPython "import salesbook.excel as sb; sb.commission()"
End Sub

Private Function WorkbookIsOpen() As Boolean
    ' ActiveWorkbook is Nothing when no workbook is open or it is in Protected View;
    ' RunPython would then fail inside xlwings with an English error.
    If ActiveWorkbook Is Nothing Then
        ' "Please open the sales workbook first, then click this button. If the window
        ' shows Protected View at the top, click Enable Editing first."
        MsgBox Zh("8BF7 5148 6253 5F00 9500 552E 53F0 8D26 5DE5 4F5C 7C3F FF0C 518D 70B9 51FB 6B64 6309 94AE 3002") _
            & vbCrLf & Zh("5982 679C 7A97 53E3 9876 90E8 663E 793A 201C 53D7 4FDD 62A4 7684 89C6 56FE 201D FF0C 8BF7 5148 70B9 51FB 201C 542F 7528 7F16 8F91 201D 3002"), _
            vbExclamation, Zh("9500 552E 7BA1 7406")
        WorkbookIsOpen = False
    Else
        WorkbookIsOpen = True
    End If
End Function

Private Function Zh(ByVal codes As String) As String
    ' Text from space-separated hex code points, e.g. Zh("9500 552E") = two characters.
    ' The trailing & makes each a Long: "&H8BF7" alone would be a negative Integer.
    Dim part As Variant
    For Each part In Split(codes, " ")
        Zh = Zh & ChrW(CLng("&H" & part & "&"))
    Next part
End Function
